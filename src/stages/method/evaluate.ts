// The paper's metrics (spec §8) on a generate/edit image set, with the bundle's encoders in the roles of
// the official evaluation: AIS = win rate of ⟨aisImage(img), audioToImage(its audio)⟩ against the domain's
// val-split audio; IIS = win rate of ⟨image(img), image(ground-truth frame)⟩ against val-split images;
// AIC = zero-shot accuracy against the sorted class labels; FID in the bundle's fidFeatures space against
// the domain's training images (named after that feature space in the metric name).
import { z } from 'zod';
import type { StageDefinition } from '../../engine/stage/stage-definition.js';

const params = z.strictObject({
  /**
   * The tables this result appears in (each metric is logged once per table, tagged table=…). Default:
   * editing → table2; generation → table1 for the full model and the single-token baseline, plus table3
   * (loss/stage ablations) or table4 (token count) on the ablated domains; the text-prompted backbone
   * (generate mode=text, ablation id text_prompt) → table1 only.
   */
  tables: z.array(z.string().min(1)).min(1).optional(),
  ablationDomains: z.array(z.string()).default(['landscape', 'hits']),
  /** Row name; default: the image set's method. */
  method: z.string().min(1).optional(),
  chunk: z.number().int().positive().default(64),
});
export type EvaluateParams = z.infer<typeof params>;

export function defaultTables(task: string, ablation: string, domain: string, ablationDomains: readonly string[]): string[] {
  if (task === 'editing') return ['table2'];
  if (ablation === 'text_prompt') return ['table1'];
  const ablated = ablationDomains.includes(domain);
  if (ablation === 'full') return ['table1', ...(ablated ? ['table3', 'table4'] : [])];
  if (ablation === 'single_token') return ['table1', ...(ablated ? ['table4'] : [])];
  return ablated ? ['table3'] : [];
}

export const evaluateStage: StageDefinition<EvaluateParams> = {
  name: 'evaluate',
  version: '1',
  description: 'AIS / AIC / IIS (official win-rate and zero-shot definitions) and FID in the bundle feature space for an image set',
  params,
  inputs: {
    dataset: { description: 'captioned dataset directory' },
    bundle: { description: 'foundation bundle (its evaluation encoders)' },
    images: { description: 'generate or edit output' },
  },
  outputs: { metrics: { description: 'metrics.json: the values, tags and chance levels' } },
  async run(ctx) {
    const { initCompute } = await import('../common/runtime.js');
    const { evaluate } = await import('./evaluate-impl.js');
    await initCompute(ctx);
    await evaluate(ctx);
  },
};
