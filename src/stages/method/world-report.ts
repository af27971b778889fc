// The results directory of a world: README.md (what was run, the numbers, where the pictures are), the
// tables, and PNG grids copied from the generate/edit stages (per-class generated vs real, editing
// before/after, sound-mixing strip, volume strip, audio + text prompts).
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
  version: '6',
  description: "Write the world's results directory: README.md, table1..4.{md,csv} and the PNG grids",
  params,
  inputs: {
    tables: { description: 'paper-tables output' },
    generations: { description: 'generate outputs', list: true },
    edits: { description: 'edit outputs', list: true, optional: true },
  },
  outputs: { report: { description: 'README.md, table*.md/csv, pictures/*.png' } },
  async run(ctx) {
    const { writeWorldReport } = await import('./world-report-impl.js');
    await writeWorldReport(ctx);
  },
};
