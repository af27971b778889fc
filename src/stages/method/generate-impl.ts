import * as tf from '@tensorflow/tfjs-core';
import { seededNormal } from '../../compute/seeded-normal.js';
import type { RgbImage } from '../../data/media/index.js';
import { yieldPoint } from '../../compute/yield-point.js';
import type { StageContext } from '../../engine/stage/stage-definition.js';
import { loadClips, loadImages } from '../../encoders/toy/toy-media.js';
import { mixAudioEmbeddings, sample } from '../../sonic/method.js';
import { classesOf, readDataset, type DatasetRow } from '../common/dataset.js';
import { backboneDdim, decodeLatents, loadBackbone, type DiffusionBackbone } from '../common/diffusion-models.js';
import { openBundle, openEncoders } from '../common/runtime.js';
import { TEXT_BASELINES } from './ablation.js';
import { loadConditionedModel, textTensor, type ConditionedModel } from './conditioned-model.js';
import { indicesOf, readEmbeddings, type Embeddings } from './embeddings-file.js';
import type { GenerateParams } from './generate.js';
import { writeImage, writeImageSetIndex, type ImageSetItem } from './image-set.js';
import { writeLabelledGrid } from '../common/labelled-grid.js';

/** What conditions each image: audio embeddings through a trained model, token states of texts, or both. */
export interface GenerationConditions {
  /** The trained model and one audio embedding per image; absent: text-only sampling, adapters off. */
  audio?: { model: ConditionedModel; embeddings: readonly Float32Array[] };
  /** One token-state row [L·W] per image; absent: the null text. */
  texts?: readonly Float32Array[];
}

export interface SamplingOptions {
  steps: number;
  guidance: number;
  seed: number;
  chunk: number;
  /** Checked between chunks: once aborted, sampling stops with an OperationAbortedError. */
  signal?: AbortSignal;
}

/** Samples one image per condition (same seed → same initial noise per position). */
export async function generateImages(
  backbone: DiffusionBackbone,
  e: Pick<Embeddings, 'nullText' | 'textTokens' | 'textWidth'>,
  cond: GenerationConditions,
  o: SamplingOptions,
  onChunk?: (done: number) => void,
): Promise<RgbImage<Float32Array>[]> {
  const n = cond.audio?.embeddings.length ?? cond.texts?.length;
  if (n === undefined) throw new Error('generate: give audio embeddings, texts, or both');
  if (cond.audio && cond.texts && cond.texts.length !== n) throw new Error(`generate: ${n} audio embeddings but ${cond.texts.length} texts`);
  const [h, w, c] = backbone.latentShape;
  const out: RgbImage<Float32Array>[] = [];
  const nullText = textTensor([e.nullText], e.textTokens, e.textWidth);
  const betweenChunks = yieldPoint(o.signal);
  const scheduler = backboneDdim(backbone);
  try {
    for (let i = 0; i < n; i += o.chunk) {
      await betweenChunks();
      const size = Math.min(o.chunk, n - i);
      const m = cond.audio?.model;
      const audio = m ? m.audioTokens(cond.audio!.embeddings.slice(i, i + size)) : undefined;
      const text = cond.texts ? textTensor(cond.texts.slice(i, i + size), e.textTokens, e.textWidth) : nullText;
      // Each image's noise depends only on the seed and its position, not on the chunking.
      const noise = tf.concat(Array.from({ length: size }, (_, j) => seededNormal<tf.Rank.R4>([1, h, w, c], o.seed + i + j)), 0);
      const z = sample(backbone.unet, {
        latents: noise, textTokens: text, nullTextTokens: nullText, steps: o.steps, guidanceScale: o.guidance, scheduler,
        ...(m && audio ? { audioTokens: audio, nullAudioTokens: m.nullAudio } : {}),
      });
      out.push(...(await decodeLatents(backbone, z)));
      tf.dispose([noise, z]);
      audio?.dispose();
      if (text !== nullText) text.dispose();
      onChunk?.(i + size);
    }
  } finally {
    nullText.dispose();
  }
  return out;
}

/** The token states of each clip's class label (the text-mode prompts), with a clear error for a missing one. */
export function labelPrompts(e: Pick<Embeddings, 'labels' | 'labelTokens'>, clips: readonly number[]): Float32Array[] {
  return clips.map((i) => {
    const t = e.labelTokens.get(e.labels[i]!);
    if (!t) throw new Error(`generate: no token states for label '${e.labels[i]}' in the embeddings (mode=text prompts with the class label)`);
    return t;
  });
}

/** The mode/input/param combinations generate refuses, as one clear message (null when consistent). */
export function generateModeError(p: Pick<GenerateParams, 'mode' | 'ablation' | 'strips'>, hasAdapter: boolean): string | null {
  if ((p.mode ?? 'audio') === 'audio') return hasAdapter ? null : 'generate: mode=audio needs the `adapter` input (a train-adapter output)';
  if (hasAdapter) return 'generate: mode=text samples the backbone without adapters; remove the `adapter` input (or use mode=audio)';
  if (p.ablation !== 'full') return `generate: ablation '${p.ablation}' trains the audio path; mode=text has none (leave ablation at full)`;
  if (p.strips) return 'generate: strips show audio conditioning; mode=text makes none (leave strips false)';
  return null;
}

export async function generate(ctx: StageContext<GenerateParams>): Promise<void> {
  const p = ctx.params;
  const textMode = p.mode === 'text';
  const problem = generateModeError(p, typeof ctx.inputs.adapter === 'string');
  if (problem) throw new Error(problem);
  const e = readEmbeddings(ctx.inputs.embeddings as string);
  const rows = readDataset(ctx.inputs.dataset as string);
  const byId = new Map(rows.map((r) => [r.id, r]));
  let test = indicesOf(e, p.domain, 'test');
  // A text prompt is the clip's class name: unlabeled clips (Into the Wild) have none.
  if (textMode) test = test.filter((i) => e.labels[i] !== '');
  if (test.length === 0) throw new Error(`generate: domain '${p.domain}' has no ${textMode ? 'labeled ' : ''}test clips`);
  if (p.limit > 0) test = test.slice(0, p.limit);
  const texts = textMode ? labelPrompts(e, test) : undefined;
  const bundle = openBundle(ctx.inputs.bundle as string);
  const load = { workload: { batch: 2 * Math.min(p.chunk, test.length), training: false }, log: ctx.log };
  const m = textMode ? null : await loadConditionedModel(bundle, ctx.inputs.adapter as string, load);
  const backbone = m ? m.backbone : await loadBackbone(bundle, load);
  const out = ctx.outputs.images!;
  try {
    const opts: SamplingOptions = { steps: p.steps, guidance: p.guidance, seed: p.seed, chunk: p.chunk, signal: ctx.signal };
    const cond: GenerationConditions = m ? { audio: { model: m, embeddings: test.map((i) => e.audio[i]!) } } : { texts: texts! };
    const images = await generateImages(backbone, e, cond, opts, (done) => ctx.progress(done, test.length, `generate ${p.domain}${textMode ? ' (text)' : ''}`));
    const items: ImageSetItem[] = test.map((i, j) => {
      const file = `images/${e.ids[i]}.png`;
      writeImage(out, file, images[j]!);
      return { id: e.ids[i]!, label: e.labels[i]!, file };
    });
    const method = m ? (p.label ?? p.ablation) : TEXT_BASELINES.text_prompt;
    writeImageSetIndex(out, { task: 'generation', domain: p.domain, method, ablation: m ? p.ablation : 'text_prompt', items });
    writeClassGrid(out, items, images, byId, { method, domain: p.domain, how: m ? `audio only, null text; DDIM ${p.steps} steps, CFG ${p.guidance}` : `class label as the text prompt, no audio; DDIM ${p.steps} steps, CFG ${p.guidance}` });
    ctx.metric('generated', images.length);
    if (m && p.strips) await writeStrips(ctx, m, e, rows, test, out, opts);
  } finally {
    if (m) m.dispose();
    else backbone.dispose();
  }
}

/**
 * grid.png: per class one row of generated images (captioned with the conditioning clip), then one row of
 * the real test images of those clips.
 */
function writeClassGrid(
  out: string,
  items: readonly ImageSetItem[],
  images: readonly RgbImage[],
  byId: Map<string, DatasetRow>,
  about: { method: string; domain: string; how: string },
): void {
  const labels = [...new Set(items.map((it) => it.label))].sort();
  const rows = labels.flatMap((label) => {
    const idx = items.map((it, i) => (it.label === label ? i : -1)).filter((i) => i >= 0).slice(0, 6);
    const ids = idx.map((i) => items[i]!.id);
    return [
      { label: label || '(unlabelled)', sublabel: 'generated', images: idx.map((i) => images[i]!), captions: ids.map((id) => id.replace(`${about.domain}-`, '')) },
      { label: label || '(unlabelled)', sublabel: 'real test image', images: loadImages(idx.map((i) => byId.get(items[i]!.id)!)) },
    ];
  });
  writeLabelledGrid(out, 'grid.png', {
    title: `${about.method} — generation — ${about.domain}`,
    subtitle: `Per class: generated from test clips (${about.how}), captioned with the clip, above the real frames of those clips.`,
    rows,
  });
}

async function writeStrips(ctx: StageContext<GenerateParams>, m: ConditionedModel, e: Embeddings, rows: DatasetRow[], test: number[], out: string, opts: SamplingOptions): Promise<void> {
  const p = ctx.params;
  const byLabel = new Map<string, number>();
  for (const i of test) if (!byLabel.has(e.labels[i]!)) byLabel.set(e.labels[i]!, i);
  const firsts = [...byLabel.values()];
  const a = firsts[0]!;
  const b = firsts[1] ?? a;
  const one = (embeddings: Float32Array[], texts: Float32Array[] | null) =>
    generateImages(m.backbone, e, { audio: { model: m, embeddings }, ...(texts ? { texts } : {}) }, { ...opts, seed: opts.seed + 1000 });
  // Sound mixing: (1 − w)·CLAP(a) + w·CLAP(b), same noise for every w.
  const mixes: Float32Array[] = [];
  for (const w of p.mixWeights) {
    const mixed = tf.tidy(() => mixAudioEmbeddings(tf.tensor2d(e.audio[a]!, [1, e.audioDim]), tf.tensor2d(e.audio[b]!, [1, e.audioDim]), w));
    mixes.push((await mixed.data()) as Float32Array);
    mixed.dispose();
  }
  const sameSeed = async (embs: Float32Array[], texts: Float32Array[] | null) => {
    const images: RgbImage<Float32Array>[] = [];
    for (const [j, x] of embs.entries()) images.push((await one([x], texts ? [texts[j]!] : null))[0]!);
    return images;
  };
  writeLabelledGrid(out, 'strips/mixing.png', {
    title: `SonicDiffusion — sound mixing — ${p.domain}`,
    subtitle: `(1 − w)·CLAP(${e.ids[a]}) + w·CLAP(${e.ids[b]}), same noise for every w`,
    columnLabels: p.mixWeights.map((w) => `w = ${w}`),
    rows: [{ label: `${e.labels[a]} → ${e.labels[b]}`, sublabel: 'mixed audio embedding', images: await sameSeed(mixes, null) }],
  });
  ctx.log(`mixing strip: ${e.labels[a]} → ${e.labels[b]} at w = ${p.mixWeights.join(', ')}`);
  // Volume: the waveform scaled before the audio encoder.
  const encoders = await openEncoders(openBundle(ctx.inputs.bundle as string));
  try {
    const rowA = rows.find((r) => r.id === e.ids[a])!;
    const [clip] = loadClips([rowA]);
    const scaled = p.volumes.map((g) => ({ samples: clip!.samples.map((s) => s * g), sampleRate: clip!.sampleRate }));
    const vols = await encoders.audioEncoder.embedAudio(scaled);
    writeLabelledGrid(out, 'strips/volume.png', {
      title: `SonicDiffusion — volume — ${p.domain}`,
      subtitle: `clip ${e.ids[a]}: the waveform scaled by a gain before the audio encoder, same noise`,
      columnLabels: p.volumes.map((g) => `gain ${g}`),
      rows: [{ label: e.labels[a]!, sublabel: 'quiet → loud', images: await sameSeed(vols, null) }],
    });
    const prompts = p.prompts ?? ['', ...classesOf(rows, p.domain).filter((l) => l !== e.labels[a]).slice(0, 3)];
    const texts = await encoders.textEncoder.encodeTokens(prompts);
    writeLabelledGrid(out, 'strips/audio_text.png', {
      title: `SonicDiffusion — audio + text — ${p.domain}`,
      subtitle: `the audio of clip ${e.ids[a]} (${e.labels[a]}) with each text prompt, same noise`,
      columnLabels: prompts.map((t) => (t === '' ? '(null text)' : `"${t}"`)),
      rows: [{ label: e.labels[a]!, sublabel: 'audio + prompt', images: await sameSeed(prompts.map(() => e.audio[a]!), texts) }],
    });
    ctx.log(`volume strip: ${e.labels[a]} at gains ${p.volumes.join(', ')}; audio+text prompts: ${prompts.map((t) => JSON.stringify(t)).join(', ')}`);
  } finally {
    encoders.dispose();
  }
}
