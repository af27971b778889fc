import * as tf from '@tensorflow/tfjs-core';
import { yieldPoint } from '../../compute/yield-point.js';
import type { StageContext } from '../../engine/stage/stage-definition.js';
import { AudioProjector, groupedAdamW, sampleContrastiveIndices, stage1Step, type AudioProjectorConfig } from '../../sonic/method.js';
import { indicesOf, readEmbeddings } from './embeddings-file.js';
import { saveProjector } from './projector-dir.js';
import type { TrainProjectorParams } from './train-projector.js';
import { mulberry32 } from '../../sonic/method.js';

/** [n, L·W] token rows → [n, K, W] targets: average-pools the L token states into K contiguous groups (identity when K = L). */
export function poolTokenRows(rows: readonly Float32Array[], L: number, W: number, K: number): tf.Tensor3D {
  if (K > L) throw new Error(`the projector makes ${K} tokens but the text encoder has only ${L}`);
  const out = new Float32Array(rows.length * K * W);
  rows.forEach((r, n) => {
    for (let k = 0; k < K; k++) {
      const from = Math.floor((k * L) / K);
      const to = Math.floor(((k + 1) * L) / K);
      for (let l = from; l < to; l++) for (let w = 0; w < W; w++) out[(n * K + k) * W + w]! += r[l * W + w]! / (to - from);
    }
  });
  return tf.tensor3d(out, [rows.length, K, W]);
}

export function projectorConfigFor(p: Pick<TrainProjectorParams, 'tokens' | 'kernelSize' | 'heads' | 'dimHead' | 'blocks' | 'chained'>, audioDim: number, textTokens: number, textWidth: number): AudioProjectorConfig {
  return {
    inputDim: audioDim,
    tokens: p.tokens ?? textTokens,
    kernelSize: p.kernelSize,
    heads: p.heads,
    dimHead: p.dimHead,
    blocks: p.blocks,
    chained: p.chained,
    outputDim: textWidth,
  };
}

export async function trainProjector(ctx: StageContext<TrainProjectorParams>): Promise<void> {
  const p = ctx.params;
  const contrastive = p.contrastive ?? true;
  const mse = p.mse ?? true;
  const e = readEmbeddings(ctx.inputs.embeddings as string);
  const train = indicesOf(e, p.domain, 'train');
  if (train.length < 2) throw new Error(`train-projector: domain '${p.domain}' has ${train.length} training clips (need ≥ 2; domains: ${[...new Set(e.domains)].join(', ')})`);
  const config = projectorConfigFor(p, e.audioDim, e.textTokens, e.textWidth);
  const projector = AudioProjector.create(config, p.seed);
  const info = { domain: p.domain, ablation: p.ablation, contrastive, mse, stage1: p.steps > 0, steps: p.steps };
  try {
    if (p.steps === 0) {
      ctx.log(`stage 1 skipped (${p.ablation}): the projector keeps its fresh initialisation`);
      await saveProjector(ctx.outputs.projector!, projector, { stage1: info });
      return;
    }
    const labels = train.map((i) => e.labels[i]!);
    const classCount = new Set(labels).size;
    const negatives = Math.min(p.negatives, Math.max(1, train.length - Math.max(...[...new Set(labels)].map((l) => labels.filter((x) => x === l).length))));
    if (classCount < 2 && contrastive) throw new Error(`train-projector: domain '${p.domain}' has one class; InfoNCE needs negatives of another class`);
    // Anchors come from classes with at least two training clips: a lone clip has no positive.
    const classSize = new Map<string, number>();
    for (const l of labels) classSize.set(l, (classSize.get(l) ?? 0) + 1);
    const anchorPool = labels.map((_, i) => i).filter((i) => classSize.get(labels[i]!)! >= 2);
    if (anchorPool.length === 0) throw new Error(`train-projector: domain '${p.domain}' has no class with two training clips; InfoNCE needs a positive per anchor`);
    if (anchorPool.length < labels.length) ctx.log(`${labels.length - anchorPool.length} training clip(s) of single-clip classes serve as negatives only`);
    const opt = groupedAdamW([{ name: 'projector', variables: projector.liveVariables(), lr: p.lr }]);
    const rand = mulberry32(p.seed ^ 0x5151);
    const lossOpts = { lambdaContrastive: contrastive ? p.lambdaContrastive : 0, lambdaMse: mse ? p.lambdaMse : 0, temperature: p.temperature };
    const every = Math.max(1, Math.floor(p.steps / 50));
    const betweenSteps = yieldPoint(ctx.signal);
    for (let step = 0; step < p.steps; step++) {
      await betweenSteps();
      const anchors = Array.from({ length: Math.min(p.batch, train.length) }, () => anchorPool[Math.floor(rand() * anchorPool.length)]!);
      const { positives, negatives: negs } = sampleContrastiveIndices(labels, anchors, negatives, p.seed + step);
      const rowsAt = (idx: number[]) => idx.map((i) => e.audio[train[i]!]!);
      const batch = tf.tidy(() => ({
        anchors: tf.tensor3d(concat(rowsAt(anchors)), [anchors.length, 1, e.audioDim]),
        positives: tf.tensor3d(concat(rowsAt(positives)), [anchors.length, 1, e.audioDim]),
        negatives: tf.tensor4d(concat(rowsAt(negs.flat())), [anchors.length, negatives, 1, e.audioDim]),
        captionTokens: poolTokenRows(anchors.map((i) => e.captionTokens[train[i]!]!), e.textTokens, e.textWidth, config.tokens),
      }));
      const r = await stage1Step(projector, opt, batch, lossOpts);
      tf.dispose(batch);
      if (!Number.isFinite(r.loss)) throw new Error(`train-projector: loss is ${r.loss} at step ${step + 1}`);
      if (step % every === 0 || step === p.steps - 1) {
        ctx.metric('stage1_loss', r.loss, { step });
        ctx.metric('stage1_infonce', r.parts.infoNce!, { step });
        ctx.metric('stage1_mse', r.parts.mse!, { step });
        ctx.progress(step + 1, p.steps, `stage 1 (${p.domain}, ${p.ablation})`);
      }
    }
    opt.dispose();
    await saveProjector(ctx.outputs.projector!, projector, { stage1: info });
  } finally {
    projector.dispose();
  }
}

function concat(rows: readonly Float32Array[]): Float32Array {
  const w = rows[0]?.length ?? 0;
  const out = new Float32Array(rows.length * w);
  rows.forEach((r, i) => out.set(r, i * w));
  return out;
}
