// Stage 1 (spec §5.2): train the audio projector alone with λ_c·InfoNCE + λ_mse·MSE(A, T_cap).
// The spec does not give λ; the defaults follow its plausible reading of the stage-1 config
// (clip_loss_weight 0.1 -> λ_c, reg_weight 0.02 -> λ_mse). The step has no randomness (dropout is 0).
import * as tf from '@tensorflow/tfjs-core';
import '../../compute/tfjs.js';
import type { AudioProjector } from '../projector/audio-projector.js';
import { infoNceLoss, type TokenPooling } from '../losses/info-nce.js';
import { tokenMseLoss } from '../losses/regression.js';
import { lossAndGrads, type GroupedOptimizer } from './optimizer.js';
import { readScalars } from '../../compute/host-read.js';

export interface Stage1Batch {
  anchors: tf.Tensor3D; // [B, 1, D] audio embeddings
  positives: tf.Tensor3D; // [B, 1, D], same class as the anchor
  negatives: tf.Tensor4D; // [B, N, 1, D], other classes
  captionTokens: tf.Tensor3D; // [B, K, W] text-encoder tokens of the anchor's caption
}

export interface Stage1LossOptions {
  lambdaContrastive?: number; // default 0.1
  lambdaMse?: number; // default 0.02
  temperature?: number; // default 0.07 (NOT FOUND in the sources; the CLIP/MoCo convention)
  pooling?: TokenPooling; // default 'mean'
}

export const STAGE1_DEFAULTS = Object.freeze({ lambdaContrastive: 0.1, lambdaMse: 0.02, temperature: 0.07, pooling: 'mean' as TokenPooling, lr: 1e-4 });

export interface Stage1Losses {
  total: tf.Scalar;
  infoNce: tf.Scalar;
  mse: tf.Scalar;
}

/** The stage-1 loss; all inputs go through the projector in one call. */
export function stage1Loss(projector: AudioProjector, batch: Stage1Batch, opts: Stage1LossOptions = {}): Stage1Losses {
  const lc = opts.lambdaContrastive ?? STAGE1_DEFAULTS.lambdaContrastive;
  const lm = opts.lambdaMse ?? STAGE1_DEFAULTS.lambdaMse;
  return tf.tidy(() => {
    const [b, n, , d] = batch.negatives.shape;
    if (batch.anchors.shape[0] !== b || batch.positives.shape[0] !== b) throw new Error(`stage 1: anchors, positives and negatives must share batch size (got ${batch.anchors.shape[0]}, ${batch.positives.shape[0]}, ${b})`);
    const all = projector.apply(tf.concat([batch.anchors, batch.positives, tf.reshape(batch.negatives, [b * n, 1, d])], 0));
    const [, k, w] = all.shape;
    const anchor = tf.slice(all, [0, 0, 0], [b, k, w]);
    const positive = tf.slice(all, [b, 0, 0], [b, k, w]);
    const negatives = tf.reshape(tf.slice(all, [2 * b, 0, 0], [b * n, k, w]), [b, n, k, w]) as tf.Tensor4D;
    const infoNce = infoNceLoss(anchor, positive, negatives, {
      temperature: opts.temperature ?? STAGE1_DEFAULTS.temperature,
      pooling: opts.pooling ?? STAGE1_DEFAULTS.pooling,
    });
    const mse = tokenMseLoss(anchor, batch.captionTokens);
    const total = tf.add(tf.mul(infoNce, lc), tf.mul(mse, lm)) as tf.Scalar;
    return { total, infoNce, mse };
  });
}

export interface StepResult {
  loss: number;
  parts: Record<string, number>;
}

/** One optimizer step on the projector's live parameters; returns the loss before the update. */
export async function stage1Step(projector: AudioProjector, optimizer: GroupedOptimizer, batch: Stage1Batch, opts: Stage1LossOptions = {}): Promise<StepResult> {
  let kept: tf.Scalar[] = [];
  const { loss, grads } = lossAndGrads(() => {
    const l = stage1Loss(projector, batch, opts);
    kept = [tf.keep(l.infoNce), tf.keep(l.mse)];
    return l.total;
  }, projector.liveVariables());
  optimizer.step(grads);
  // Read asynchronously: the webgpu backend cannot read synchronously.
  const [value, infoNce, mse] = await readScalars([loss, ...kept]);
  tf.dispose([loss, ...kept]);
  for (const g of grads.values()) g.dispose();
  return { loss: value!, parts: { infoNce: infoNce!, mse: mse! } };
}
