// Trains the toy-SD autoencoder: the model core's AutoencoderKL with a small config, reconstruction MSE plus
// a small KL term on the sampled posterior, then the latent scale 1/std of the training latents (the role
// of SD's 0.18215).
import * as tf from '@tensorflow/tfjs-core';
import { seededNormal } from '../../../compute/seeded-normal.js';
import '../../../compute/tfjs.js';
import { ParamStore } from '../../../compute/param-store.js';
import { yieldPoint } from '../../../compute/yield-point.js';
import type { ResolvedManifestRow } from '../../../data/sonictoy/manifest.js';
import { groupedAdamW, lossAndGrads } from '../../../sonic/training/optimizer.js';
import { AutoencoderKL } from '../../../sonic/vae/autoencoder-kl.js';
import type { AutoencoderKLConfig } from '../../../sonic/vae/config.js';
import { createVaeParams } from '../../../sonic/vae/weights.js';
import { loadImageBatch } from './images.js';
import { BatchSampler, checkPositive, checkPositiveInt, gatherRows, learningRate, rowsOfSplit, stepSeed, type ToySdProgressFn } from './training-loop.js';

export interface ToyVaeOptions {
  imageSize: number;
  latentChannels: number;
  /** Image side / latent side; a power of two (one VAE level per halving). */
  downsampleFactor: number;
  /** Channels per VAE level (log2(downsampleFactor)+1 entries). */
  channels: number[];
  layersPerBlock: number;
  normNumGroups: number;
  steps: number;
  batch: number;
  lr: number;
  warmupSteps: number;
  /** Weight of the mean-per-element KL(q(z|x) ‖ N(0, 1)) against the mean-per-pixel MSE. */
  klWeight: number;
  /**
   * Decode a posterior sample (SD's training) instead of the posterior mean. Off by default: the fresh
   * encoder's log-variance starts near 0 (σ ≈ 1, as large as the latents), and at a few hundred CPU steps the
   * decoder then only learns blurry, colour-collapsed averages; decoding the mean gives a deterministic
   * autoencoder whose latents the KL term keeps near N(0, 1) scale.
   */
  samplePosterior: boolean;
  seed: number;
  trainSplit: string;
  /** Rows of this split give the reported validation PSNR/MSE (skipped when the split is empty). */
  valSplit: string;
}

export const TOY_VAE_DEFAULTS: Readonly<ToyVaeOptions> = Object.freeze({
  imageSize: 32,
  latentChannels: 4,
  downsampleFactor: 4,
  channels: [16, 32, 32],
  layersPerBlock: 1,
  normNumGroups: 8,
  // 250 steps left the decoder with collapsed colours (green faces came out grey-blue; 67 % of held-out
  // reconstructions kept their class by colour); 600 keep 91 % (bench/toy-sd/README.md).
  steps: 600,
  batch: 16,
  lr: 2e-3,
  warmupSteps: 20,
  klWeight: 1e-4,
  samplePosterior: false,
  seed: 0,
  trainSplit: 'train',
  valSplit: 'val',
});

export interface ToyVaeReport {
  steps: number;
  trainSeconds: number;
  cpuSeconds: number;
  parameters: number;
  trainImages: number;
  /** Mean reconstruction MSE (images in [−1, 1]) over the last 10 % of steps. */
  finalTrainMse: number;
  valImages: number;
  /** Posterior-mean reconstruction of the validation split; MSE and PSNR on [0, 1] pixel values. */
  valMse: number | null;
  valPsnrDb: number | null;
  /** Std of the unscaled training latents (posterior means); latentScale = 1 / latentStd. */
  latentStd: number;
  latentScale: number;
}

export interface TrainedToyVae {
  vae: AutoencoderKL;
  params: ParamStore;
  latentScale: number;
  report: ToyVaeReport;
}

const WHAT = 'trainToyVae';

export function toyVaeConfig(o: Pick<ToyVaeOptions, 'imageSize' | 'latentChannels' | 'downsampleFactor' | 'channels' | 'layersPerBlock' | 'normNumGroups'>, scalingFactor = 1): AutoencoderKLConfig {
  const levels = Math.log2(o.downsampleFactor);
  if (!Number.isInteger(levels) || levels < 0) throw new Error(`${WHAT}: option 'downsampleFactor' must be a power of two, got ${o.downsampleFactor}`);
  if (o.channels.length !== levels + 1) {
    throw new Error(`${WHAT}: option 'channels' needs ${levels + 1} entries for downsampleFactor ${o.downsampleFactor} (one per level), got [${o.channels}]`);
  }
  if (o.imageSize % o.downsampleFactor !== 0) throw new Error(`${WHAT}: imageSize ${o.imageSize} is not divisible by downsampleFactor ${o.downsampleFactor}`);
  return {
    inChannels: 3,
    outChannels: 3,
    blockOutChannels: [...o.channels],
    layersPerBlock: o.layersPerBlock,
    latentChannels: o.latentChannels,
    normNumGroups: o.normNumGroups,
    sampleSize: o.imageSize,
    scalingFactor,
  };
}

function resolveOptions(options: Partial<ToyVaeOptions>): ToyVaeOptions {
  const o: ToyVaeOptions = { ...TOY_VAE_DEFAULTS, ...options, channels: [...(options.channels ?? TOY_VAE_DEFAULTS.channels)] };
  for (const f of ['imageSize', 'latentChannels', 'downsampleFactor', 'layersPerBlock', 'normNumGroups', 'steps', 'batch'] as const) checkPositiveInt(WHAT, f, o[f]);
  checkPositive(WHAT, 'lr', o.lr);
  if (!(o.klWeight >= 0)) throw new Error(`${WHAT}: option 'klWeight' must be ≥ 0, got ${o.klWeight}`);
  if (!(Number.isInteger(o.warmupSteps) && o.warmupSteps >= 0)) throw new Error(`${WHAT}: option 'warmupSteps' must be an integer ≥ 0, got ${o.warmupSteps}`);
  return o;
}

/** Reconstruction MSE + klWeight·KL for a batch; z is the posterior mean, or a posterior sample (seeded). */
function vaeLoss(vae: AutoencoderKL, x: tf.Tensor4D, klWeight: number, samplePosterior: boolean, seed: number): { total: tf.Scalar; mse: tf.Scalar } {
  const { mean, logvar } = vae.encodeMoments(x);
  const clipped = tf.clipByValue(logvar, -30, 20);
  const z = samplePosterior ? (tf.add(mean, tf.mul(tf.exp(tf.mul(clipped, 0.5)), seededNormal<tf.Rank.R4>(mean.shape, seed))) as tf.Tensor4D) : mean;
  const mse = tf.mean(tf.square(tf.sub(vae.decode(z), x))) as tf.Scalar;
  if (klWeight === 0) return { total: mse, mse };
  const kl = tf.mul(tf.mean(tf.sub(tf.add(tf.square(mean), tf.exp(clipped)), tf.add(clipped, 1))), 0.5);
  return { total: tf.add(mse, tf.mul(kl, klWeight)) as tf.Scalar, mse };
}

/** Posterior means of `images` in chunks (unscaled latents). */
export function encodeMeans(vae: AutoencoderKL, images: tf.Tensor4D, chunk = 64): tf.Tensor4D {
  const parts: tf.Tensor4D[] = [];
  for (let i = 0; i < images.shape[0]; i += chunk) {
    const n = Math.min(chunk, images.shape[0] - i);
    parts.push(tf.tidy(() => vae.encode(tf.slice(images, [i, 0, 0, 0], [n, -1, -1, -1]))));
  }
  const out = tf.concat(parts, 0);
  tf.dispose(parts);
  return out;
}

function reconstructionMse(vae: AutoencoderKL, images: tf.Tensor4D, chunk = 64): number {
  let sum = 0;
  for (let i = 0; i < images.shape[0]; i += chunk) {
    const n = Math.min(chunk, images.shape[0] - i);
    sum += tf.tidy(() => {
      const x = tf.slice(images, [i, 0, 0, 0], [n, -1, -1, -1]);
      return tf.sum(tf.square(tf.sub(tf.clipByValue(vae.decode(vae.encode(x)), -1, 1), x)));
    }).arraySync() as number;
  }
  return sum / images.size;
}

/** Trains toy-SD's autoencoder; `signal` is checked between steps (training stops with an OperationAbortedError once it is aborted). */
export async function trainToyVae(
  rows: readonly ResolvedManifestRow[],
  options: Partial<ToyVaeOptions> = {},
  onProgress?: ToySdProgressFn,
  signal?: AbortSignal,
): Promise<TrainedToyVae> {
  const o = resolveOptions(options);
  const config = toyVaeConfig(o);
  const trainRows = rowsOfSplit(rows, o.trainSplit, WHAT, true);
  const valRows = rowsOfSplit(rows, o.valSplit, WHAT, false);
  const params = createVaeParams(config, { seed: o.seed });
  const vae = new AutoencoderKL(config, params);
  const images = loadImageBatch(trainRows.map((r) => r.imagePath), o.imageSize);
  const variables = params.variables((_, e) => e.trainable);
  const optimizer = groupedAdamW([{ name: 'vae', variables, lr: o.lr, weightDecay: 0 }]);
  const sampler = new BatchSampler(trainRows.length, o.seed);
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const tailMse: number[] = [];
  const tail = Math.max(1, Math.round(o.steps / 10));
  const betweenSteps = yieldPoint(signal);
  try {
    for (let step = 0; step < o.steps; step++) {
      await betweenSteps();
      const lr = learningRate(step, o.steps, o.lr, o.warmupSteps);
      optimizer.groups[0]!.lr = lr;
      const batch = tf.tidy(() => gatherRows(images, sampler.next(Math.min(o.batch, trainRows.length))) as tf.Tensor4D);
      let mseValue: tf.Scalar | null = null;
      const { loss, grads } = lossAndGrads(() => {
        const { total, mse } = vaeLoss(vae, batch, o.klWeight, o.samplePosterior, stepSeed(o.seed, step, 1));
        mseValue = tf.keep(mse);
        return total;
      }, variables);
      optimizer.step(grads);
      const mse = (mseValue as tf.Scalar | null)!.dataSync()[0]!;
      tf.dispose([loss, batch, mseValue!, ...grads.values()]);
      if (!Number.isFinite(mse)) throw new Error(`${WHAT}: the loss became ${mse} at step ${step + 1} (lower lr, now ${o.lr})`);
      if (step >= o.steps - tail) tailMse.push(mse);
      onProgress?.({ phase: 'vae', step: step + 1, steps: o.steps, loss: mse, lr, elapsedSeconds: (performance.now() - started) / 1000 });
    }
    const trainSeconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const latents = encodeMeans(vae, images);
    const latentStd = tf.tidy(() => tf.moments(latents).variance.sqrt().arraySync() as number);
    latents.dispose();
    if (!(latentStd > 0)) throw new Error(`${WHAT}: the training latents have zero spread; the VAE did not learn`);
    let valMse: number | null = null;
    if (valRows.length > 0) {
      const val = loadImageBatch(valRows.map((r) => r.imagePath), o.imageSize);
      valMse = reconstructionMse(vae, val) / 4; // [−1, 1] -> [0, 1] pixel scale
      val.dispose();
    }
    const report: ToyVaeReport = {
      steps: o.steps,
      trainSeconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      parameters: params.count(),
      trainImages: trainRows.length,
      finalTrainMse: tailMse.reduce((a, b) => a + b, 0) / tailMse.length,
      valImages: valRows.length,
      valMse,
      valPsnrDb: valMse === null ? null : 10 * Math.log10(1 / Math.max(valMse, 1e-12)),
      latentStd,
      latentScale: 1 / latentStd,
    };
    // The returned model carries the scale as its scalingFactor, so scaleLatents/unscaleLatents work as with SD.
    const scaled = new AutoencoderKL({ ...config, scalingFactor: report.latentScale }, params);
    return { vae: scaled, params, latentScale: report.latentScale, report };
  } catch (err) {
    params.dispose();
    throw err;
  } finally {
    images.dispose();
    optimizer.dispose();
  }
}
