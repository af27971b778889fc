// The results directory of a world: index.html (a static, self-contained report: how the run was made,
// the tables beside the paper's numbers, ablation findings, pictures, training curves, run timeline),
// README.md (the same in markdown, without plots), the tables, the labelled PNG grids copied from the
// generate/edit stages (per-class generated vs real, editing before/after, sound-mixing, volume and
// audio + text strips), and plots/ (Vega-Lite specs + SVG made from the run record).
import { z } from 'zod';
import type { StageDefinition } from '../../engine/stage/stage-definition.js';

const params = z.strictObject({
  world: z.string().min(1).default('SonicToy'),
  profile: z.string().default(''),
  /** The profile is a smoke test: the README says its numbers are a plumbing check, not findings. */
  plumbingCheck: z.boolean().default(false),
  /** Free text placed under the heading (how the world was built, what the sizes were). */
  about: z.string().default(''),
});
export type WorldReportParams = z.infer<typeof params>;

export const worldReportStage: StageDefinition<WorldReportParams> = {
  name: 'sonictoy-report',
  version: '8',
  description: "Write the world's results directory: index.html, README.md, table1..4.{md,csv}, the labelled PNG grids and plots/",
  params,
  inputs: {
    tables: { description: 'paper-tables output' },
    generations: { description: 'generate outputs', list: true },
    edits: { description: 'edit outputs', list: true, optional: true },
  },
  outputs: { report: { description: 'index.html, README.md, table*.md/csv, pictures/*.png, plots/*.{vl.json,svg}' } },
  readsRunRecord: true,
  async run(ctx) {
    const { writeWorldReport } = await import('./world-report-impl.js');
    await writeWorldReport(ctx);
  },
};
