// Stage 2 (spec §5.3): the bundle's UNet with fresh gated adapters (gate 0) and the stage-1 projector
// (or its fresh initialisation, for "w/o stage 1"), ε-loss on VAE latents with null text. Adapters at
// lr 1e-4, projector at 1e-5 (or frozen: "projector frozen in stage 2").
import { z } from 'zod';
import type { StageDefinition } from '../../engine/stage/stage-definition.js';
import { ablationParam } from './ablation.js';

const params = z.strictObject({
  domain: z.string().min(1),
  ablation: ablationParam,
  steps: z.number().int().min(1).default(600),
  batch: z.number().int().positive().default(6),
  adapterLr: z.number().positive().default(1e-4),
  projectorLr: z.number().positive().default(1e-5),
  /** false: the projector stays frozen in stage 2 ("projector frozen"); absent = trained at projectorLr. */
  trainProjector: z.boolean().optional(),
  /** Probability of null text (1 = always "", as the paper). */
  dropText: z.number().min(0).max(1).default(1),
  flip: z.boolean().default(true),
  seed: z.number().int().min(0).default(0),
});
export type TrainAdapterParams = z.infer<typeof params>;

export const trainAdapterStage: StageDefinition<TrainAdapterParams> = {
  name: 'train-adapter',
  version: '3',
  description: "Stage 2: train the UNet's gated audio adapters (+ projector at a lower lr) with the ε-loss on one domain",
  params,
  inputs: {
    dataset: { description: 'captioned dataset directory' },
    bundle: { description: 'foundation bundle (its unet and vae)' },
    embeddings: { description: 'embed stage output' },
    projector: { description: 'train-projector output (stage 1)' },
  },
  outputs: { adapter: { description: 'unet_adapters.safetensors + projector/ + info.json' } },
  async run(ctx) {
    const { initCompute } = await import('../common/runtime.js');
    const { trainAdapter } = await import('./train-adapter-impl.js');
    await initCompute(ctx);
    await trainAdapter(ctx);
  },
};
