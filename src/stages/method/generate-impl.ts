import * as tf from '@tensorflow/tfjs-core';
import { contactSheet, type RgbImage } from '../../data/media/index.js';
import type { StageContext } from '../../engine/stage/stage-definition.js';
import { loadClips, loadImages } from '../../encoders/toy/toy-media.js';
import { mixAudioEmbeddings, sample } from '../../sonic/method.js';
import { classesOf, readDataset, type DatasetRow } from '../common/dataset.js';
import { decodeLatents } from '../common/diffusion-models.js';
import { openBundle, openEncoders } from '../common/runtime.js';
import { ABLATION_LABELS } from './ablation.js';
import { loadConditionedModel, textTensor, type ConditionedModel } from './conditioned-model.js';
import { indicesOf, readEmbeddings, type Embeddings } from './embeddings-file.js';
import type { GenerateParams } from './generate.js';
import { writeImage, writeImageSetIndex, type ImageSetItem } from './image-set.js';

/** Samples one image per embedding (same seed → same initial noise per position). */
export async function generateImages(
  m: ConditionedModel,
  e: Pick<Embeddings, 'nullText' | 'textTokens' | 'textWidth'>,
  embeddings: readonly Float32Array[],
  texts: readonly Float32Array[] | null,
  o: { steps: number; guidance: number; seed: number; chunk: number },
  onChunk?: (done: number) => void,
): Promise<RgbImage<Float32Array>[]> {
  const [h, w, c] = m.backbone.latentShape;
  const out: RgbImage<Float32Array>[] = [];
  const nullText = textTensor([e.nullText], e.textTokens, e.textWidth);
  try {
    for (let i = 0; i < embeddings.length; i += o.chunk) {
      const part = embeddings.slice(i, i + o.chunk);
      const audio = m.audioTokens(part);
      const text = texts ? textTensor(texts.slice(i, i + o.chunk), e.textTokens, e.textWidth) : nullText;
      // Each image's noise depends only on the seed and its position, not on the chunking.
      const noise = tf.concat(part.map((_, j) => tf.randomNormal([1, h, w, c], 0, 1, 'float32', o.seed + i + j) as tf.Tensor4D), 0);
      const z = sample(m.backbone.unet, { latents: noise, textTokens: text, nullTextTokens: nullText, audioTokens: audio, nullAudioTokens: m.nullAudio, steps: o.steps, guidanceScale: o.guidance });
      out.push(...(await decodeLatents(m.backbone, z)));
      tf.dispose([noise, z, audio]);
      if (text !== nullText) text.dispose();
      onChunk?.(Math.min(embeddings.length, i + o.chunk));
    }
  } finally {
    nullText.dispose();
  }
  return out;
}

export async function generate(ctx: StageContext<GenerateParams>): Promise<void> {
  const p = ctx.params;
  const e = readEmbeddings(ctx.inputs.embeddings as string);
  const rows = readDataset(ctx.inputs.dataset as string);
  const byId = new Map(rows.map((r) => [r.id, r]));
  let test = indicesOf(e, p.domain, 'test');
  if (test.length === 0) throw new Error(`generate: domain '${p.domain}' has no test clips`);
  if (p.limit > 0) test = test.slice(0, p.limit);
  const bundle = openBundle(ctx.inputs.bundle as string);
  const m = await loadConditionedModel(bundle, ctx.inputs.adapter as string);
  const out = ctx.outputs.images!;
  try {
    const opts = { steps: p.steps, guidance: p.guidance, seed: p.seed, chunk: p.chunk };
    const images = await generateImages(m, e, test.map((i) => e.audio[i]!), null, opts, (done) => ctx.progress(done, test.length, `generate ${p.domain}`));
    const items: ImageSetItem[] = test.map((i, j) => {
      const file = `images/${e.ids[i]}.png`;
      writeImage(out, file, images[j]!);
      return { id: e.ids[i]!, label: e.labels[i]!, file };
    });
    writeImageSetIndex(out, { task: 'generation', domain: p.domain, method: ABLATION_LABELS[p.ablation], ablation: p.ablation, items });
    writeClassGrid(out, items, images, byId);
    ctx.metric('generated', images.length);
    if (p.strips && p.ablation === 'full') await writeStrips(ctx, m, e, rows, test, out, opts);
  } finally {
    m.dispose();
  }
}

/** grid.png: per class one row of generated images, then one row of real test images of that class. */
function writeClassGrid(out: string, items: readonly ImageSetItem[], images: readonly RgbImage[], byId: Map<string, DatasetRow>): void {
  const labels = [...new Set(items.map((it) => it.label))].sort();
  const grid: RgbImage[][] = [];
  for (const label of labels) {
    const idx = items.map((it, i) => (it.label === label ? i : -1)).filter((i) => i >= 0).slice(0, 6);
    grid.push(idx.map((i) => images[i]!));
    grid.push(loadImages(idx.map((i) => byId.get(items[i]!.id)!)));
  }
  writeImage(out, 'grid.png', contactSheet(grid, { scale: 2 }));
}

async function writeStrips(ctx: StageContext<GenerateParams>, m: ConditionedModel, e: Embeddings, rows: DatasetRow[], test: number[], out: string, opts: { steps: number; guidance: number; seed: number; chunk: number }): Promise<void> {
  const p = ctx.params;
  const byLabel = new Map<string, number>();
  for (const i of test) if (!byLabel.has(e.labels[i]!)) byLabel.set(e.labels[i]!, i);
  const firsts = [...byLabel.values()];
  const a = firsts[0]!;
  const b = firsts[1] ?? a;
  const one = (embeddings: Float32Array[], texts: Float32Array[] | null) => generateImages(m, e, embeddings, texts, { ...opts, seed: opts.seed + 1000 });
  // Sound mixing: (1 − w)·CLAP(a) + w·CLAP(b), same noise for every w.
  const mixes = p.mixWeights.map((w) =>
    tf.tidy(() => mixAudioEmbeddings(tf.tensor2d(e.audio[a]!, [1, e.audioDim]), tf.tensor2d(e.audio[b]!, [1, e.audioDim]), w).dataSync() as Float32Array),
  );
  const sameSeed = async (embs: Float32Array[], texts: Float32Array[] | null) => {
    const images: RgbImage<Float32Array>[] = [];
    for (const [j, x] of embs.entries()) images.push((await one([x], texts ? [texts[j]!] : null))[0]!);
    return images;
  };
  writeImage(out, 'strips/mixing.png', contactSheet([await sameSeed(mixes, null)], { scale: 3 }));
  ctx.log(`mixing strip: ${e.labels[a]} → ${e.labels[b]} at w = ${p.mixWeights.join(', ')}`);
  // Volume: the waveform scaled before the audio encoder.
  const encoders = await openEncoders(openBundle(ctx.inputs.bundle as string));
  try {
    const rowA = rows.find((r) => r.id === e.ids[a])!;
    const [clip] = loadClips([rowA]);
    const scaled = p.volumes.map((g) => ({ samples: clip!.samples.map((s) => s * g), sampleRate: clip!.sampleRate }));
    const vols = await encoders.audioEncoder.embedAudio(scaled);
    writeImage(out, 'strips/volume.png', contactSheet([await sameSeed(vols, null)], { scale: 3 }));
    const prompts = p.prompts ?? ['', ...classesOf(rows, p.domain).filter((l) => l !== e.labels[a]).slice(0, 3)];
    const texts = await encoders.textEncoder.encodeTokens(prompts);
    writeImage(out, 'strips/audio_text.png', contactSheet([await sameSeed(prompts.map(() => e.audio[a]!), texts)], { scale: 3 }));
    ctx.log(`volume strip: ${e.labels[a]} at gains ${p.volumes.join(', ')}; audio+text prompts: ${prompts.map((t) => JSON.stringify(t)).join(', ')}`);
  } finally {
    encoders.dispose();
  }
}
