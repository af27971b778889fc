// Audio-conditioned generation (spec §6): DDIM 50 steps, CFG 8 over [T(""), A_null] vs [T(prompt), A],
// null text for every test clip of a domain; plus the paper's qualitative strips (sound mixing, volume,
// audio + text prompts) and a per-class grid of generated vs real images. `mode: text` is the reference row
// of Table 1 on the same backbone: each clip's class label as the prompt vs the null text, no audio, no adapters.
import { z } from 'zod';
import type { StageDefinition } from '../../engine/stage/stage-definition.js';
import { ablationParam } from './ablation.js';

const params = z.strictObject({
  domain: z.string().min(1),
  /** audio (the method; the default) or text (class label as the prompt, no adapters). Absent = audio; no
   *  default value, so the parsed params, and the fingerprints, of existing audio stages stay as they were. */
  mode: z.enum(['audio', 'text']).optional(),
  ablation: ablationParam,
  /** The model's row name in the tables (e.g. "w/o MSE loss"); default: the ablation's name. */
  label: z.string().min(1).optional(),
  steps: z.number().int().positive().default(50),
  guidance: z.number().min(0).default(8),
  seed: z.number().int().min(0).default(42),
  /** Generate for at most this many test clips (0 = all). */
  limit: z.number().int().min(0).default(0),
  chunk: z.number().int().positive().default(16),
  /** Qualitative strips (only worth it for the full model; audio mode only). */
  strips: z.boolean().default(false),
  mixWeights: z.array(z.number().min(0).max(1)).default([0, 0.25, 0.5, 0.75, 1]),
  volumes: z.array(z.number().positive()).default([0.05, 0.15, 0.35, 0.65, 1]),
  /** Text prompts for the audio + text strip; default: the domain's other class labels. */
  prompts: z.array(z.string()).optional(),
});
export type GenerateParams = z.infer<typeof params>;

export const generateStage: StageDefinition<GenerateParams> = {
  name: 'generate',
  version: '3',
  description: 'Generate one image per test clip of a domain (null text + audio, or mode=text the class label, DDIM, CFG); optional mixing/volume/text strips',
  params,
  inputs: {
    dataset: { description: 'captioned dataset directory' },
    bundle: { description: 'foundation bundle' },
    embeddings: { description: 'embed stage output' },
    adapter: { description: 'train-adapter output (mode=audio only)', optional: true },
  },
  outputs: { images: { description: 'images/<id>.png + index.json (+ strips/*.png, grid.png)' } },
  async run(ctx) {
    const { initCompute } = await import('../common/runtime.js');
    const { generate } = await import('./generate-impl.js');
    await initCompute(ctx);
    await generate(ctx);
  },
};
