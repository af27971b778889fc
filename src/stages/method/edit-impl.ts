import * as tf from '@tensorflow/tfjs-core';
import type { RgbImage } from '../../data/media/index.js';
import { yieldPoint } from '../../compute/yield-point.js';
import type { StageContext } from '../../engine/stage/stage-definition.js';
import { loadImages } from '../../encoders/toy/toy-media.js';
import { ddimInvert, pnpEdit, pnpSitesFor } from '../../sonic/method.js';
import { readDataset } from '../common/dataset.js';
import { backboneDdim, decodeLatents, encodeImages, loadBackbone } from '../common/diffusion-models.js';
import { openBundle } from '../common/runtime.js';
import { TEXT_BASELINES } from './ablation.js';
import { loadConditionedModel, textTensor } from './conditioned-model.js';
import type { EditParams } from './edit.js';
import { indicesOf, readEmbeddings } from './embeddings-file.js';
import { writeImage, writeImageSetIndex, type ImageSetItem } from './image-set.js';
import { writeLabelledGrid } from '../common/labelled-grid.js';

/** For every test clip, a source image: the next test item (cyclically) of a different class. */
export function pairSources(labels: readonly string[]): number[] {
  const n = labels.length;
  return labels.map((l, j) => {
    for (let k = 1; k < n; k++) {
      const c = (j + k * Math.max(1, Math.floor(n / 7))) % n;
      if (labels[c] !== l) return c;
    }
    throw new Error(`edit: every test clip has class '${l}'; editing needs a source image of another class`);
  });
}

export async function edit(ctx: StageContext<EditParams>): Promise<void> {
  const p = ctx.params;
  const e = readEmbeddings(ctx.inputs.embeddings as string);
  const rows = readDataset(ctx.inputs.dataset as string);
  const byId = new Map(rows.map((r) => [r.id, r]));
  let test = indicesOf(e, p.domain, 'test');
  // A text edit's prompt is the clip's class name: unlabeled clips (Into the Wild) have none.
  if (p.mode === 'text') test = test.filter((i) => e.labels[i] !== '');
  if (test.length < 2) throw new Error(`edit: domain '${p.domain}' needs at least 2 test clips`);
  const sources = pairSources(test.map((i) => e.labels[i]!));
  let order = test.map((_, j) => j);
  if (p.limit > 0) order = order.slice(0, p.limit);
  const bundle = openBundle(ctx.inputs.bundle as string);
  const audioMode = p.mode === 'audio';
  if (audioMode && typeof ctx.inputs.adapter !== 'string') throw new Error('edit: mode=audio needs the `adapter` input (a train-adapter output)');
  const load = { workload: { batch: 2 * Math.min(p.chunk, order.length), training: false }, log: ctx.log };
  const m = audioMode ? await loadConditionedModel(bundle, ctx.inputs.adapter as string, load) : null;
  const backbone = m ? m.backbone : await loadBackbone(bundle, load);
  const sites = pnpSitesFor(backbone.unet.config);
  const scheduler = backboneDdim(backbone);
  const L = e.textTokens;
  const W = e.textWidth;
  const nullText = textTensor([e.nullText], L, W);
  const out = ctx.outputs.images!;
  const items: ImageSetItem[] = [];
  const before: RgbImage[] = [];
  const after: RgbImage[] = [];
  const sourceCaptions: string[] = [];
  const targetCaptions: string[] = [];
  const betweenChunks = yieldPoint(ctx.signal);
  try {
    for (let s = 0; s < order.length; s += p.chunk) {
      await betweenChunks();
      const part = order.slice(s, s + p.chunk);
      const clipIdx = part.map((j) => test[j]!);
      const srcIdx = part.map((j) => test[sources[j]!]!);
      const srcRows = srcIdx.map((i) => byId.get(e.ids[i]!)!);
      const srcImages = loadImages(srcRows);
      const z0 = await encodeImages(backbone, srcImages);
      const inverted = ddimInvert(backbone.unet, z0, { steps: p.steps, textTokens: nullText, scheduler });
      let audio: tf.Tensor3D;
      let nullAudio: tf.Tensor3D;
      let text: tf.Tensor3D;
      if (m) {
        audio = m.audioTokens(clipIdx.map((i) => e.audio[i]!));
        nullAudio = m.nullAudio;
        text = nullText;
      } else {
        // Adapters are untrained here (gates 0), so these zero tokens leave the backbone untouched.
        nullAudio = tf.zeros([1, 1, backbone.unet.config.audioCrossAttentionDim]);
        audio = nullAudio;
        text = textTensor(clipIdx.map((i) => {
          const t = e.labelTokens.get(e.labels[i]!);
          if (!t) throw new Error(`edit: no token states for label '${e.labels[i]}' in the embeddings`);
          return t;
        }), L, W);
      }
      const z = pnpEdit(backbone.unet, {
        invertedLatents: inverted, sourceTextTokens: nullText, negativeTextTokens: nullText, textTokens: text,
        audioTokens: audio, nullAudioTokens: nullAudio, sites, tauAttn: p.tauAttn, tauFeat: p.tauFeat, guidanceScale: p.guidance, steps: p.steps, scheduler,
      });
      const edited = await decodeLatents(backbone, z);
      tf.dispose([z, z0, ...inverted.values()]);
      if (m) audio.dispose();
      else nullAudio.dispose();
      if (text !== nullText) text.dispose();
      part.forEach((_, k) => {
        const id = e.ids[clipIdx[k]!]!;
        const file = `images/${id}.png`;
        writeImage(out, file, edited[k]!);
        items.push({ id, label: e.labels[clipIdx[k]!]!, file, source: e.ids[srcIdx[k]!]! });
        if (before.length < 8) {
          before.push(srcImages[k]!);
          after.push(edited[k]!);
          sourceCaptions.push(srcRows[k]!.label || srcRows[k]!.id);
          targetCaptions.push(`→ ${e.labels[clipIdx[k]!] || id}`);
        }
      });
      ctx.progress(Math.min(order.length, s + p.chunk), order.length, `edit ${p.domain} (${p.mode})`);
    }
    const method = audioMode ? (p.label ?? p.ablation) : TEXT_BASELINES.text_pnp;
    writeImageSetIndex(out, { task: 'editing', domain: p.domain, method, ablation: audioMode ? p.ablation : 'text_pnp', items });
    writeLabelledGrid(out, 'before_after.png', {
      title: `${method} — editing — ${p.domain}`,
      subtitle: `DDIM inversion + PnP (${p.steps} steps): each source image edited towards the ${audioMode ? 'audio of a clip' : 'class label'} of another class`,
      rows: [
        { label: 'source', sublabel: 'its class', images: before, captions: sourceCaptions },
        { label: 'edited', sublabel: audioMode ? "→ target clip's class" : '→ target label', images: after, captions: targetCaptions },
      ],
    });
    ctx.metric('edited', items.length);
  } finally {
    nullText.dispose();
    if (m) m.dispose();
    else backbone.dispose();
  }
}
