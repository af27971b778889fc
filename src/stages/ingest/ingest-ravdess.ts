import { z } from 'zod';
import type { StageDefinition } from '../../engine/stage/stage-definition.js';
import { ingestRavdess } from '../../data/ingest/ravdess.js';
import { commonOptions, commonParams, datasetOutput, finishIngest, rootInput } from './params.js';

const params = z.strictObject({ ...commonParams });

export const ingestRavdessStage: StageDefinition<z.infer<typeof params>> = {
  name: 'ingest-ravdess',
  version: '1',
  description: 'RAVDESS song takes → the whole clip audio + its middle frame, labelled with the emotion (speech filtered out)',
  params,
  inputs: rootInput,
  outputs: datasetOutput,
  async run(ctx) {
    const result = await ingestRavdess(commonOptions(ctx, 'ingest-ravdess'));
    await finishIngest(ctx, result);
  },
};
