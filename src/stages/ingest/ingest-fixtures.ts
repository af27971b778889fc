import { z } from 'zod';
import type { StageDefinition } from '../../engine/stage/stage-definition.js';
import { FIXTURE_VERSION, makeFixtureDatasets } from '../../data/ingest/fixtures.js';

const params = z.strictObject({
  /** Which fixture roots to render. */
  datasets: z.array(z.enum(['landscape', 'greatest-hits', 'ravdess'])).min(1).default(['landscape', 'greatest-hits', 'ravdess']),
});

export const ingestFixturesStage: StageDefinition<z.infer<typeof params>> = {
  name: 'ingest-fixtures',
  version: String(FIXTURE_VERSION),
  description: 'Render tiny fake Landscape/Into the Wild, Greatest Hits and RAVDESS roots with ffmpeg test sources (for profile=fixture)',
  params,
  inputs: {},
  outputs: { datasets: { description: 'landscape/, greatest-hits/ and ravdess/ roots laid out like the real datasets' } },
  async run(ctx) {
    ctx.progress(0, 1, 'render');
    const roots = await makeFixtureDatasets(ctx.outputs.datasets!, ctx.params.datasets);
    ctx.progress(1, 1, 'render');
    ctx.log(`fixture roots: ${JSON.stringify(roots)}`);
  },
};
