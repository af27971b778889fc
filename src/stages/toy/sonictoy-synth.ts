import { z } from 'zod';
import type { StageDefinition } from '../../engine/stage/stage-definition.js';

const params = z.strictObject({
  seed: z.number().int().min(0).default(0),
  domains: z.array(z.enum(['landscape', 'hits', 'voices'])).min(1).default(['landscape', 'hits', 'voices']),
  perClass: z.strictObject({ train: z.number().int().min(1), val: z.number().int().min(1), test: z.number().int().min(1) }).default({ train: 24, val: 4, test: 8 }),
  clipSeconds: z.number().min(0.1).max(30).default(1.5),
  sampleRate: z.number().int().min(4000).default(16000),
  imageSize: z.number().int().min(8).default(32),
});

export const sonictoySynthStage: StageDefinition<z.infer<typeof params>> = {
  name: 'sonictoy-synth',
  version: '1',
  description: 'Generate the SonicToy world: per domain, class and split a WAV, a PNG and a manifest row',
  params,
  inputs: {},
  outputs: { dataset: { description: 'manifest.csv + audio/ + images/' } },
  async run(ctx) {
    const { generateSonicToy } = await import('../../data/sonictoy/index.js');
    ctx.progress(0, 1, 'synthesise');
    const p = ctx.params;
    const result = await generateSonicToy({ outDir: ctx.outputs.dataset!, seed: p.seed, domains: p.domains, perClass: p.perClass, clipSeconds: p.clipSeconds, sampleRate: p.sampleRate, imageSize: p.imageSize });
    for (const [domain, counts] of Object.entries(result.counts)) {
      for (const [split, n] of Object.entries(counts)) ctx.metric('samples', n, { tags: { domain, split } });
    }
    ctx.log(`${result.total} samples → ${result.manifestPath}`);
    ctx.progress(1, 1, 'synthesise');
  },
};
