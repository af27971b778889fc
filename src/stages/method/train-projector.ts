// Stage 1 (spec §5.2): the audio projector alone, λ_c·InfoNCE (same-class positive, N other-class
// negatives) + λ_mse·MSE to the caption's token states, on one domain's training clips.
import { z } from 'zod';
import type { StageDefinition } from '../../engine/stage/stage-definition.js';
import { ablationParam } from './ablation.js';

const params = z.strictObject({
  domain: z.string().min(1),
  ablation: ablationParam,
  /** The InfoNCE term (false: "w/o contrastive loss"); absent = on. */
  contrastive: z.boolean().optional(),
  /** The MSE term (false: "w/o MSE loss"); absent = on. */
  mse: z.boolean().optional(),
  /** 0: stage 1 does not run ("w/o stage 1"); the projector keeps its fresh initialisation. */
  steps: z.number().int().min(0).default(300),
  batch: z.number().int().positive().default(6),
  negatives: z.number().int().positive().default(16),
  lr: z.number().positive().default(1e-4),
  lambdaContrastive: z.number().min(0).default(0.1),
  lambdaMse: z.number().min(0).default(0.02),
  temperature: z.number().positive().default(0.07),
  /** K audio tokens; default: the text encoder's token count (77 for SD); 1: "single token". */
  tokens: z.number().int().positive().optional(),
  kernelSize: z.number().int().min(3).default(9),
  heads: z.number().int().positive().default(4),
  dimHead: z.number().int().positive().default(8),
  blocks: z.number().int().positive().default(4),
  chained: z.boolean().default(false),
  seed: z.number().int().min(0).default(0),
});
export type TrainProjectorParams = z.infer<typeof params>;

export const trainProjectorStage: StageDefinition<TrainProjectorParams> = {
  name: 'train-projector',
  version: '1',
  description: 'Stage 1: train the audio projector (InfoNCE with class positives + MSE to caption tokens); each loss term can be switched off',
  params,
  inputs: { embeddings: { description: 'embed stage output' } },
  outputs: { projector: { description: 'config.json + projector.safetensors' } },
  async run(ctx) {
    const { initCompute } = await import('../common/runtime.js');
    const { trainProjector } = await import('./train-projector-impl.js');
    await initCompute(ctx);
    await trainProjector(ctx);
  },
};
