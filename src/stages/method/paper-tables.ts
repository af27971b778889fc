// Tables 1–4 as markdown and CSV from the evaluate stages' metrics.json files, with the paper's reported
// numbers (read from a JSON file, never written in code) beside ours, marked "reported".
import { z } from 'zod';
import type { StageDefinition } from '../../engine/stage/stage-definition.js';

const params = z.strictObject({
  tables: z.array(z.string().min(1)).default(['table1', 'table2', 'table3', 'table4']),
  /** Title of the world, in each table's heading (e.g. "SonicToy"). */
  world: z.string().default(''),
  /** Paired bootstrap of each ablation row's difference from the full model (same clips, same resamples). */
  resamples: z.number().int().min(1).default(1000),
  fidResamples: z.number().int().min(1).default(200),
  level: z.number().gt(0).lt(1).default(0.95),
  seed: z.number().int().min(0).default(0),
});
export type PaperTablesParams = z.infer<typeof params>;

export const paperTablesStage: StageDefinition<PaperTablesParams> = {
  name: 'paper-tables',
  version: '3',
  description: 'Build table1..4.{md,csv}: our AIS/AIC/IIS/FID per method and domain with bootstrap intervals, beside the paper’s reported numbers',
  params,
  inputs: {
    metrics: { description: 'evaluate outputs (metrics.json files)', list: true },
    reported: { description: 'results/paper-reported.json', optional: true },
  },
  outputs: { tables: { description: 'table1.md, table1.csv, … and tables.json' } },
  async run(ctx) {
    const { buildTables } = await import('./paper-tables-impl.js');
    await buildTables(ctx);
  },
};
