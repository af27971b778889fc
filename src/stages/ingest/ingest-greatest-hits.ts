import { z } from 'zod';
import type { StageDefinition } from '../../engine/stage/stage-definition.js';
import { ingestGreatestHits } from '../../data/ingest/greatest-hits.js';
import { commonOptions, commonParams, datasetOutput, finishIngest, rootInput, windowSeconds } from './params.js';

const params = z.strictObject({
  ...commonParams,
  windowSeconds,
  /** Fewest hits of the material inside a window. */
  minHits: z.number().int().min(1).default(2),
  /** Seconds of lead-in before a stretch's first hit. */
  leadSeconds: z.number().min(0).default(0.5),
});

export const ingestGreatestHitsStage: StageDefinition<z.infer<typeof params>> = {
  name: 'ingest-greatest-hits',
  version: '1',
  description: 'Greatest Hits: single-material stretches of hits → 10 s audio + one frame, labelled with the material',
  params,
  inputs: rootInput,
  outputs: datasetOutput,
  async run(ctx) {
    const p = ctx.params;
    const result = await ingestGreatestHits({ ...commonOptions(ctx, 'ingest-greatest-hits'), windowSeconds: p.windowSeconds, minHits: p.minHits, leadSeconds: p.leadSeconds });
    await finishIngest(ctx, result);
  },
};
