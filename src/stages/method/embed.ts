// Precomputes what stages 1 and 2 consume: the bundle audio encoder's embedding of every clip, the text
// encoder's per-token states of every caption, of the null text "" and of every class label.
import { z } from 'zod';
import type { StageDefinition } from '../../engine/stage/stage-definition.js';

const params = z.strictObject({ batch: z.number().int().positive().default(64) });

export const embedStage: StageDefinition<z.infer<typeof params>> = {
  name: 'embed',
  version: '1',
  description: 'Audio embeddings (audioEncoder) of all clips; caption, null-text and class-label token states (textEncoder)',
  params,
  inputs: { dataset: { description: 'captioned dataset directory' }, bundle: { description: 'foundation bundle' } },
  outputs: { embeddings: { description: 'embeddings.safetensors + index.json' } },
  async run(ctx) {
    const { mkdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { initCompute, openBundle, openEncoders } = await import('../common/runtime.js');
    const { readDataset, domainsOf, classesOf } = await import('../common/dataset.js');
    const { stackRows, writeMatrices } = await import('../common/tensor-file.js');
    const { writeJson } = await import('../common/json-file.js');
    const { loadClips } = await import('../../encoders/toy/toy-media.js');
    const { EMBEDDINGS_FILE, EMBEDDINGS_INDEX } = await import('./embeddings-file.js');
    await initCompute(ctx);
    const rows = readDataset(ctx.inputs.dataset as string);
    const missing = rows.filter((r) => r.caption.trim() === '');
    if (missing.length > 0) ctx.log(`warning: ${missing.length} rows have no caption (e.g. ${missing[0]!.id}); their MSE target is the null text`);
    const encoders = await openEncoders(openBundle(ctx.inputs.bundle as string));
    try {
      const audio: Float32Array[] = [];
      const tokens: Float32Array[] = [];
      const b = ctx.params.batch;
      for (let i = 0; i < rows.length; i += b) {
        const chunk = rows.slice(i, i + b);
        audio.push(...(await encoders.audioEncoder.embedAudio(loadClips(chunk))));
        tokens.push(...(await encoders.textEncoder.encodeTokens(chunk.map((r) => r.caption))));
        ctx.progress(Math.min(rows.length, i + b), rows.length, 'embed');
      }
      const classes = Object.fromEntries(domainsOf(rows).map((d) => [d, classesOf(rows, d)]));
      const labels = [...new Set(Object.values(classes).flat())];
      const labelTokens = labels.length > 0 ? await encoders.textEncoder.encodeTokens(labels) : [];
      const [nullText] = await encoders.textEncoder.encodeTokens(['']);
      const out = ctx.outputs.embeddings!;
      mkdirSync(out, { recursive: true });
      const te = encoders.textEncoder;
      writeMatrices(join(out, EMBEDDINGS_FILE), {
        audio: stackRows(audio),
        caption_tokens: stackRows(tokens),
        null_text: stackRows([nullText!]),
        ...(labelTokens.length > 0 ? { label_tokens: stackRows(labelTokens) } : {}),
      });
      writeJson(join(out, EMBEDDINGS_INDEX), {
        ids: rows.map((r) => r.id),
        domains: rows.map((r) => r.domain),
        labels: rows.map((r) => r.label),
        splits: rows.map((r) => r.split),
        classes,
        labelTokenRows: labels,
        audioDim: encoders.audioEncoder.dim,
        textTokens: te.maxTokens,
        textWidth: te.width,
        audioEncoder: encoders.audioEncoder.name,
        textEncoder: te.name,
      });
      ctx.metric('clips', rows.length);
      ctx.log(`${rows.length} clips → ${encoders.audioEncoder.dim}-d audio embeddings; tokens ${te.maxTokens}×${te.width}`);
    } finally {
      encoders.dispose();
    }
  },
};
