// A diffusers model directory: config.json + diffusion_pytorch_model.safetensors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DIFFUSERS_WEIGHTS = 'diffusion_pytorch_model.safetensors';

export function readDiffusersConfig(dir: string, what: string): Record<string, unknown> {
  const path = join(dir, 'config.json');
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${path}: cannot read the ${what} config (${(e as Error).message})`);
  }
}
