// Contrastive training shared by the toy encoders: CLIP's symmetric InfoNCE with a (learnable) logit scale,
// seeded epoch batches, Adam with linear warm-up and cosine decay.
import * as tf from '@tensorflow/tfjs-core';
import '../../compute/tfjs.js';
import { matMul } from '../../compute/ops/index.js';
import { Rng } from '../../data/sonictoy/prng.js';
import { LOGIT_SCALE, type ContrastiveConfig, type ContrastiveToyModel } from './contrastive-model.js';
import { yieldPoint } from '../../compute/yield-point.js';

export function l2Normalize<T extends tf.Tensor>(x: T): T {
  return tf.div(x, tf.maximum(tf.norm(x, 'euclidean', -1, true), 1e-12)) as T;
}

/**
 * Symmetric InfoNCE over a batch of pairs (a_i, b_i). Pairs whose `keys` are equal (e.g. two images captioned
 * with the same label text) are all positives of each other, with the target mass split evenly, so duplicate
 * texts in a batch are not pushed apart. `logScale` is log(1/temperature).
 */
export function symmetricInfoNce(a: tf.Tensor2D, b: tf.Tensor2D, logScale: tf.Tensor, keys?: readonly string[]): tf.Scalar {
  const n = a.shape[0];
  const target = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    let count = 0;
    for (let j = 0; j < n; j++) if (i === j || (keys !== undefined && keys[i] === keys[j])) count++;
    for (let j = 0; j < n; j++) if (i === j || (keys !== undefined && keys[i] === keys[j])) target[i * n + j] = 1 / count;
  }
  const t = tf.tensor2d(target, [n, n]); // symmetric, so it serves both directions
  const logits = tf.mul(matMul(l2Normalize(a), l2Normalize(b), false, true), tf.exp(logScale));
  const lossAB = tf.neg(tf.mean(tf.sum(tf.mul(t, tf.logSoftmax(logits, 1)), 1)));
  const lossBA = tf.neg(tf.mean(tf.sum(tf.mul(t, tf.logSoftmax(tf.transpose(logits), 1)), 1)));
  return tf.mul(tf.add(lossAB, lossBA), 0.5) as tf.Scalar;
}

/** CLIP's cap of 100 on the logit scale. */
export const MAX_LOG_SCALE = Math.log(100);

/** Seeded batches of indices: each epoch a fresh shuffle of 0…n−1; a batch never straddles an epoch. */
export class EpochSampler {
  private order: number[] = [];
  private at = 0;
  private readonly rng: Rng;

  constructor(private readonly n: number, private readonly batchSize: number, seed: number) {
    if (n < 2) throw new Error(`contrastive training needs at least 2 pairs, got ${n}`);
    this.rng = Rng.fromString(`toy-encoder-batches/${seed}`);
  }

  next(): number[] {
    const size = Math.min(this.batchSize, this.n);
    if (this.at + size > this.order.length) {
      this.order = Array.from({ length: this.n }, (_, i) => i);
      for (let i = this.n - 1; i > 0; i--) {
        const j = this.rng.int(0, i);
        [this.order[i], this.order[j]] = [this.order[j]!, this.order[i]!];
      }
      this.at = 0;
    }
    const batch = this.order.slice(this.at, this.at + size);
    this.at += size;
    return batch;
  }

  /** A generator for per-sample choices (text variant, flips), derived from the same seed. */
  get random(): Rng {
    return this.rng;
  }
}

export interface TrainProgress {
  step: number;
  steps: number;
  loss: number;
  elapsedSeconds: number;
}

export type ProgressCallback = (p: TrainProgress) => void;

export interface OptimizeOptions {
  variables: tf.Variable[];
  steps: number;
  learningRate: number;
  warmupSteps: number;
  /** The loss of step `step` (called inside a tidy/gradient scope). */
  loss: (step: number) => tf.Scalar;
  /** After each update, e.g. to clamp the logit scale. */
  afterStep?: () => void;
  onProgress?: ProgressCallback;
  progressEvery?: number;
  /** Checked between steps (see compute/yield-point): once aborted, training stops with an OperationAbortedError. */
  signal?: AbortSignal;
}

/** Runs Adam; returns the mean loss over the last 10% of steps. */
export async function optimize(o: OptimizeOptions): Promise<number> {
  if (!Number.isInteger(o.steps) || o.steps < 1) throw new Error(`training steps must be a positive integer, got ${o.steps}`);
  if (!(o.learningRate > 0)) throw new Error(`learning rate must be > 0, got ${o.learningRate}`);
  const adam = tf.train.adam(o.learningRate, 0.9, 0.999, 1e-8);
  const start = Date.now();
  const every = o.progressEvery ?? Math.max(1, Math.floor(o.steps / 20));
  const tail: number[] = [];
  const betweenSteps = yieldPoint(o.signal);
  try {
    for (let step = 0; step < o.steps; step++) {
      await betweenSteps();
      const warm = Math.min(1, (step + 1) / Math.max(1, o.warmupSteps));
      // tfjs reads the (protected) field on every update, which is how a schedule is applied.
      (adam as unknown as { learningRate: number }).learningRate = o.learningRate * warm * 0.5 * (1 + Math.cos((Math.PI * step) / o.steps));
      const { value, grads } = tf.variableGrads(() => o.loss(step), o.variables);
      adam.applyGradients(grads as Parameters<typeof adam.applyGradients>[0]);
      tf.dispose(grads);
      const loss = value.dataSync()[0]!;
      value.dispose();
      if (!Number.isFinite(loss)) throw new Error(`training diverged at step ${step + 1}: loss is ${loss}`);
      o.afterStep?.();
      if (step >= o.steps - Math.max(1, Math.ceil(o.steps / 10))) tail.push(loss);
      if (o.onProgress && ((step + 1) % every === 0 || step === o.steps - 1)) {
        o.onProgress({ step: step + 1, steps: o.steps, loss, elapsedSeconds: (Date.now() - start) / 1000 });
      }
    }
  } finally {
    adam.dispose();
  }
  return tail.reduce((a, b) => a + b, 0) / tail.length;
}

/** Keeps a learnable log logit scale within [0, log 100] (CLIP's clamp). */
export function clampLogScale(model: ContrastiveToyModel<ContrastiveConfig>): void {
  if (!model.config.learnTemperature) return;
  const v = model.params.get(LOGIT_SCALE);
  const s = v.dataSync()[0]!;
  if (s > MAX_LOG_SCALE || s < 0) tf.tidy(() => v.assign(tf.scalar(Math.min(Math.max(s, 0), MAX_LOG_SCALE))));
}

/**
 * Trains a freshly created toy contrastive model: Adam over all its parameters, its learnable logit scale
 * clamped after each step. Training that stops with an error (divergence, an aborted signal) frees the
 * model's parameters before rethrowing; otherwise the trained model is returned.
 */
export async function trainContrastiveModel<M extends ContrastiveToyModel<ContrastiveConfig>>(model: M, o: Omit<OptimizeOptions, 'variables' | 'afterStep'>): Promise<M> {
  try {
    await optimize({ ...o, variables: model.params.variables(), afterStep: () => clampLogScale(model) });
  } catch (err) {
    model.dispose();
    throw err;
  }
  return model;
}
