// BLIP-2's step: caption every image whose caption is empty (or all, with overwrite) with the bundle's
// captioner, and write a new manifest pointing at the same media.
import { z } from 'zod';
import type { StageDefinition } from '../../engine/stage/stage-definition.js';

const params = z.strictObject({
  overwrite: z.boolean().default(false),
  batch: z.number().int().positive().default(64),
});

export const captionStage: StageDefinition<z.infer<typeof params>> = {
  name: 'caption',
  version: '1',
  description: "Caption images with the bundle's captioner (only empty captions unless overwrite) into a new manifest",
  params,
  inputs: { dataset: { description: 'dataset directory (manifest.csv)' }, bundle: { description: 'foundation bundle' } },
  outputs: { dataset: { description: 'dataset directory whose manifest has every caption filled' } },
  async run(ctx) {
    const { mkdirSync } = await import('node:fs');
    const { initCompute, openBundle, openEncoders } = await import('../common/runtime.js');
    const { readDataset, writeDataset } = await import('../common/dataset.js');
    const { loadImages } = await import('../../encoders/toy/toy-media.js');
    await initCompute(ctx);
    const rows = readDataset(ctx.inputs.dataset as string);
    const toCaption = rows.filter((r) => ctx.params.overwrite || r.caption.trim() === '');
    if (toCaption.length > 0) {
      const encoders = await openEncoders(openBundle(ctx.inputs.bundle as string));
      try {
        for (let i = 0; i < toCaption.length; i += ctx.params.batch) {
          const chunk = toCaption.slice(i, i + ctx.params.batch);
          const captions = await encoders.captioner.caption(loadImages(chunk));
          chunk.forEach((r, j) => (r.caption = captions[j]!));
          ctx.progress(Math.min(toCaption.length, i + chunk.length), toCaption.length, 'caption');
        }
      } finally {
        encoders.dispose();
      }
    }
    const out = ctx.outputs.dataset!;
    mkdirSync(out, { recursive: true });
    writeDataset(out, rows);
    ctx.metric('captioned', toCaption.length);
    ctx.metric('kept', rows.length - toCaption.length);
    ctx.log(`captioned ${toCaption.length} of ${rows.length} images`);
  },
};
