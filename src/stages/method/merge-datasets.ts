// One dataset from several (the paper's three ingests → one manifest with three domains). Media stay where
// they are; the merged manifest points at them with relative paths.
import { z } from 'zod';
import type { StageDefinition } from '../../engine/stage/stage-definition.js';

const params = z.strictObject({});

export const mergeDatasetsStage: StageDefinition<z.infer<typeof params>> = {
  name: 'merge-datasets',
  version: '1',
  description: 'Concatenate dataset manifests (ids must be unique across them) into one dataset directory',
  params,
  inputs: { datasets: { description: 'dataset directories', list: true } },
  outputs: { dataset: { description: 'manifest.csv over the inputs’ media' } },
  async run(ctx) {
    const { mkdirSync } = await import('node:fs');
    const { readDataset, writeDataset } = await import('../common/dataset.js');
    const dirs = ([] as string[]).concat(ctx.inputs.datasets ?? []);
    const rows = dirs.flatMap((d) => readDataset(d));
    const seen = new Set<string>();
    for (const r of rows) {
      if (seen.has(r.id)) throw new Error(`merge-datasets: id '${r.id}' appears in more than one input dataset`);
      seen.add(r.id);
    }
    mkdirSync(ctx.outputs.dataset!, { recursive: true });
    writeDataset(ctx.outputs.dataset!, rows);
    ctx.metric('rows', rows.length);
  },
};
