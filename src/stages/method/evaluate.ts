// The paper's metrics (spec §8) on a generate/edit image set, with the bundle's encoders in the roles of
// the official evaluation: AIS = win rate of ⟨aisImage(img), audioToImage(its audio)⟩ against the domain's
// val-split audio; IIS = win rate of ⟨image(img), image(ground-truth frame)⟩ against val-split images;
// AIC = zero-shot accuracy against the sorted class labels; FID in the bundle's fidFeatures space against
// the domain's training images (named after that feature space in the metric name).
import { z } from 'zod';
import type { StageDefinition } from '../../engine/stage/stage-definition.js';

const params = z.strictObject({
  /**
   * The tables this result appears in (each metric is logged once per table, tagged table=…): an ablation
   * file's `tables`. Tables other than `allDomainTables` take rows of `ablationDomains` only (the paper's
   * ablation tables cover Landscape and Greatest Hits). Default: editing → table2, the text-prompted
   * backbone → table1, any other generation → table1.
   */
  tables: z.array(z.string().min(1)).optional(),
  allDomainTables: z.array(z.string().min(1)).default(['table1', 'table2']),
  ablationDomains: z.array(z.string()).default(['landscape', 'hits']),
  /** Row name; default: the image set's method. */
  method: z.string().min(1).optional(),
  /** Whether this is the model the ablations are compared with (the full method). */
  base: z.boolean().default(false),
  chunk: z.number().int().positive().default(64),
  /** Bootstrap intervals: resamples of the test items (FID: fewer, each resample is a Fréchet distance). */
  resamples: z.number().int().min(1).default(1000),
  fidResamples: z.number().int().min(1).default(200),
  level: z.number().gt(0).lt(1).default(0.95),
  seed: z.number().int().min(0).default(0),
});
export type EvaluateParams = z.infer<typeof params>;

/** The tables an image set's metrics go to (see the `tables` param). */
export function tablesFor(task: string, ablation: string, domain: string, p: Pick<EvaluateParams, 'tables' | 'allDomainTables' | 'ablationDomains'>): string[] {
  if (task === 'editing') return p.tables ?? ['table2'];
  if (ablation === 'text_prompt') return p.tables ?? ['table1'];
  const tables = p.tables ?? ['table1'];
  return p.ablationDomains.includes(domain) ? tables : tables.filter((t) => p.allDomainTables.includes(t));
}

export const evaluateStage: StageDefinition<EvaluateParams> = {
  name: 'evaluate',
  version: '2',
  description: 'AIS / AIC / IIS (official win-rate and zero-shot definitions) and FID in the bundle feature space for an image set, each with a bootstrap interval',
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
