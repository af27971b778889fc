// Audio-guided editing (spec §7): DDIM-invert a source image (50 steps, text "", adapters off), then PnP
// denoising with the audio of a test clip of another class. `mode: text` is the paper's "PnP (text)"
// baseline on the same backbone: the clip's class label as the prompt, no adapters.
import { z } from 'zod';
import type { StageDefinition } from '../../engine/stage/stage-definition.js';
import { ablationParam } from './ablation.js';

const params = z.strictObject({
  domain: z.string().min(1),
  mode: z.enum(['audio', 'text']).default('audio'),
  ablation: ablationParam,
  /** The model's row name in the tables (e.g. "w/o MSE loss"); default: the ablation's name. */
  label: z.string().min(1).optional(),
  steps: z.number().int().positive().default(50),
  guidance: z.number().min(0).default(8),
  tauAttn: z.number().min(0).max(1).default(0.5),
  tauFeat: z.number().min(0).max(1).default(0.8),
  limit: z.number().int().min(0).default(0),
  chunk: z.number().int().positive().default(16),
});
export type EditParams = z.infer<typeof params>;

export const editStage: StageDefinition<EditParams> = {
  name: 'edit',
  version: '3',
  description: 'Edit test images of one class with the audio (or, mode=text, the label) of a clip of another class: DDIM inversion + PnP',
  params,
  inputs: {
    dataset: { description: 'captioned dataset directory' },
    bundle: { description: 'foundation bundle' },
    embeddings: { description: 'embed stage output' },
    adapter: { description: 'train-adapter output (unused in mode=text)', optional: true },
  },
  outputs: { images: { description: 'images/<id>.png + index.json (+ before_after.png)' } },
  async run(ctx) {
    const { initCompute } = await import('../common/runtime.js');
    const { edit } = await import('./edit-impl.js');
    await initCompute(ctx);
    await edit(ctx);
  },
};
