import { z } from 'zod';
import type { StageDefinition } from '../../engine/stage/stage-definition.js';
import { ingestLandscape, LANDSCAPE_SOURCES } from '../../data/ingest/landscape.js';
import { commonOptions, commonParams, datasetOutput, finishIngest, rootInput, windowSeconds } from './params.js';

const params = z.strictObject({
  ...commonParams,
  windowSeconds,
  /** Which sub-datasets to read (each only where its videos/ folder exists). */
  sources: z.array(z.enum(LANDSCAPE_SOURCES)).min(1).default([...LANDSCAPE_SOURCES]),
  /** Labels CSV; default <root>/landscape/labels.csv when present. */
  labelsCsv: z.string().min(1).optional(),
  /** Folder with official train.txt / val.txt / test.txt; default <root>/landscape/splits when present. */
  splitListsDir: z.string().min(1).optional(),
});

export const ingestLandscapeStage: StageDefinition<z.infer<typeof params>> = {
  name: 'ingest-landscape',
  version: '1',
  description: 'Landscape + Into the Wild videos → 10 s windows: audio + middle frame per window, Landscape labels from a labels CSV',
  params,
  inputs: rootInput,
  outputs: datasetOutput,
  async run(ctx) {
    const p = ctx.params;
    const result = await ingestLandscape({
      ...commonOptions(ctx, 'ingest-landscape'),
      windowSeconds: p.windowSeconds,
      sources: p.sources,
      ...(p.labelsCsv ? { labelsCsv: p.labelsCsv } : {}),
      ...(p.splitListsDir ? { splitListsDir: p.splitListsDir } : {}),
    });
    await finishIngest(ctx, result);
  },
};
