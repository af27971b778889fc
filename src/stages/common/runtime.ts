// What every compute stage does first: pick the tfjs backend and, for method stages, open the bundle.
// Imported lazily from stage run() bodies so the CLI never loads tfjs just to list stages.
import { selectBackend } from '../../compute/backend.js';
import { readBundle, type FoundationBundle } from '../../encoders/bundle.js';
import { loadEncoders, type Encoders } from '../../encoders/load-encoders.js';
import type { StageContext } from '../../engine/stage/stage-definition.js';

export async function initCompute(ctx: Pick<StageContext, 'log'> & Partial<Pick<StageContext, 'gpus'>>): Promise<void> {
  const choice = await selectBackend({ gpus: ctx.gpus ?? [] });
  ctx.log(`tfjs backend: ${choice.name} (${choice.reason})`);
}

export type OpenBundle = FoundationBundle & { dir: string };

export function openBundle(dir: string): OpenBundle {
  return readBundle(dir);
}

export async function openEncoders(bundle: OpenBundle): Promise<Encoders> {
  return loadEncoders(bundle);
}
