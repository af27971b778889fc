import { mkdirSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { readScalars, readToHost } from '../../compute/host-read.js';
import { saveTorchCheckpoint } from '../../compute/param-store.js';
import { yieldPoint } from '../../compute/yield-point.js';
import type { StageContext } from '../../engine/stage/stage-definition.js';
import { loadImages } from '../../encoders/toy/toy-media.js';
import { createStage2Optimizer, mulberry32, stage2ModelFromUNet, stage2Step } from '../../sonic/method.js';
import { isAdapterParam } from '../../sonic/unet/index.js';
import { readDataset } from '../common/dataset.js';
import { backboneNoiseSchedule, encodeImages, loadBackbone } from '../common/diffusion-models.js';
import { writeJson } from '../common/json-file.js';
import { openBundle } from '../common/runtime.js';
import { adapterPaths } from './adapter-dir.js';
import { indicesOf, readEmbeddings } from './embeddings-file.js';
import { loadProjector, readProjectorInfo, saveProjector } from './projector-dir.js';
import type { TrainAdapterParams } from './train-adapter.js';

export async function trainAdapter(ctx: StageContext<TrainAdapterParams>): Promise<void> {
  const p = ctx.params;
  const trainProjector = p.trainProjector ?? true;
  const e = readEmbeddings(ctx.inputs.embeddings as string);
  const rows = readDataset(ctx.inputs.dataset as string);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const train = indicesOf(e, p.domain, 'train');
  if (train.length === 0) throw new Error(`train-adapter: domain '${p.domain}' has no training clips`);
  const bundle = openBundle(ctx.inputs.bundle as string);
  const backbone = await loadBackbone(bundle, { seed: p.seed, trainableAdapters: true, workload: { batch: p.batch, training: true }, log: ctx.log });
  const projector = loadProjector(ctx.inputs.projector as string);
  try {
    const model = stage2ModelFromUNet(backbone.unet, projector);
    const opt = createStage2Optimizer(model, { adapterLr: p.adapterLr, projectorLr: p.projectorLr, trainProjector });
    const images = loadImages(train.map((i) => {
      const r = byId.get(e.ids[i]!);
      if (!r) throw new Error(`train-adapter: embeddings row '${e.ids[i]}' is not in the dataset manifest`);
      return r;
    }));
    ctx.log(`encoding ${images.length} training images to latents`);
    const latents = await encodeImages(backbone, images);
    const flipped = p.flip ? tf.tidy(() => tf.reverse(latents, 2)) : latents;
    const audio = tf.tensor3d(concat(train.map((i) => e.audio[i]!)), [train.length, 1, e.audioDim]);
    const nullText = tf.tensor3d(e.nullText, [1, e.textTokens, e.textWidth]);
    const schedule = backboneNoiseSchedule(backbone);
    const rand = mulberry32(p.seed ^ 0xada7);
    const every = Math.max(1, Math.floor(p.steps / 50));
    // stage2_final_loss: the mean loss of the last tenth of the steps (at least the last step).
    const tailFrom = p.steps - Math.max(1, Math.ceil(p.steps / 10));
    let tail = 0;
    let tailN = 0;
    const betweenSteps = yieldPoint(ctx.signal);
    for (let step = 0; step < p.steps; step++) {
      await betweenSteps();
      const pick = Array.from({ length: Math.min(p.batch, train.length) }, () => Math.floor(rand() * train.length));
      const flip = pick.map(() => p.flip && rand() < 0.5);
      const batch = tf.tidy(() => {
        const idx = tf.tensor1d(pick, 'int32');
        const mask = tf.tensor4d(flip.map((f) => (f ? 1 : 0)), [pick.length, 1, 1, 1]);
        const a = tf.gather(latents, idx);
        const b = tf.gather(flipped, idx);
        return { latents: tf.add(tf.mul(b, mask), tf.mul(a, tf.sub(1, mask))) as tf.Tensor4D, audioEmbeddings: tf.gather(audio, idx) as tf.Tensor3D };
      });
      const r = await stage2Step(model, opt, { ...batch, nullTextTokens: nullText }, { seed: p.seed * 100003 + step, dropText: p.dropText, schedule });
      tf.dispose(batch);
      if (!Number.isFinite(r.loss)) throw new Error(`train-adapter: loss is ${r.loss} at step ${step + 1}`);
      if (step >= tailFrom) {
        tail += r.loss;
        tailN++;
      }
      if (step % every === 0 || step === p.steps - 1) {
        ctx.metric('stage2_loss', r.loss, { step });
        ctx.progress(step + 1, p.steps, `stage 2 (${p.domain}, ${p.ablation})`);
      }
    }
    ctx.metric('stage2_final_loss', tail / tailN);
    const gates = await readScalars(backbone.unetParams.names((n) => n.endsWith('gate_adapter')).map((n) => backbone.unetParams.get(n)));
    ctx.metric('mean_abs_gate', gates.reduce((s, g) => s + Math.abs(g), 0) / Math.max(1, gates.length));
    tf.dispose([latents, audio, nullText]);
    if (flipped !== latents) flipped.dispose();
    opt.dispose();
    const out = adapterPaths(ctx.outputs.adapter!);
    mkdirSync(ctx.outputs.adapter!, { recursive: true });
    await readToHost(backbone.unetParams.names(isAdapterParam).map((n) => backbone.unetParams.get(n)));
    saveTorchCheckpoint(backbone.unetParams, out.weights, isAdapterParam);
    await saveProjector(out.projector, projector, { stage1: readProjectorInfo(ctx.inputs.projector as string).stage1 ?? null, stage2: { trainProjector } });
    writeJson(out.info, { domain: p.domain, ablation: p.ablation, steps: p.steps, batch: p.batch, trainProjector, trainClips: train.length, gates });
  } finally {
    projector.dispose();
    backbone.dispose();
  }
}

function concat(rows: readonly Float32Array[]): Float32Array {
  const w = rows[0]?.length ?? 0;
  const out = new Float32Array(rows.length * w);
  rows.forEach((r, i) => out.set(r, i * w));
  return out;
}
