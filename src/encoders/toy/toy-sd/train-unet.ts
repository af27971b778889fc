// Trains the toy-SD UNet: the model core's UNet2DCondition (with its gated audio adapters configured but
// absent from training, so their gates stay 0), ε-prediction MSE under the SD noise schedule, every other
// parameter trainable, captions dropped to the null text "" with probability textDropout for CFG.
import * as tf from '@tensorflow/tfjs-core';
import { seededNormal } from '../../../compute/seeded-normal.js';
import '../../../compute/tfjs.js';
import type { ParamStore } from '../../../compute/param-store.js';
import { yieldPoint } from '../../../compute/yield-point.js';
import type { ResolvedManifestRow } from '../../../data/sonictoy/manifest.js';
import type { TextEncoder } from '../../interfaces.js';
import { epsilonMseLoss } from '../../../sonic/losses/regression.js';
import { NoiseSchedule } from '../../../sonic/schedulers/noise-schedule.js';
import { groupedAdamW, lossAndGrads } from '../../../sonic/training/optimizer.js';
import { validateUNetConfig, type UNetConfig } from '../../../sonic/unet/config.js';
import { UNet2DCondition, isAdapterParam } from '../../../sonic/unet/unet2d-condition.js';
import { createUNetParams } from '../../../sonic/unet/weights.js';
import type { AutoencoderKL } from '../../../sonic/vae/autoencoder-kl.js';
import { loadImageBatch } from './images.js';
import { encodeMeans } from './train-vae.js';
import { BatchSampler, checkPositive, checkPositiveInt, gatherRows, learningRate, rowsOfSplit, stepSeed, type ToySdProgressFn } from './training-loop.js';

/** The toy-SD UNet shape for 8×8×4 latents and 64-wide text tokens (SD-1.x blocks, two levels, text cross-attention at both). */
export const TOY_SD_UNET_CONFIG: Readonly<UNetConfig> = Object.freeze({
  sampleSize: 8,
  inChannels: 4,
  outChannels: 4,
  blockOutChannels: [32, 64],
  layersPerBlock: 1,
  downBlockTypes: ['CrossAttnDownBlock2D', 'CrossAttnDownBlock2D'],
  upBlockTypes: ['CrossAttnUpBlock2D', 'CrossAttnUpBlock2D'],
  attentionHeadDim: 4,
  crossAttentionDim: 64,
  audioCrossAttentionDim: 64,
  adapterHeads: 4,
  useAdapter: [false, true, true],
  normNumGroups: 8,
  normEps: 1e-5,
  flipSinToCos: true,
  freqShift: 0,
}) as UNetConfig;

export interface ToyUnetOptions {
  /**
   * Overrides of TOY_SD_UNET_CONFIG. crossAttentionDim always follows the text encoder's width,
   * sampleSize the latent side; audioCrossAttentionDim (the projector's output width) defaults to the text width.
   */
  unet: Partial<UNetConfig>;
  steps: number;
  batch: number;
  lr: number;
  warmupSteps: number;
  /** Probability of replacing a caption by the null text "" (classifier-free guidance training). */
  textDropout: number;
  seed: number;
  trainSplit: string;
}

export const TOY_UNET_DEFAULTS: Readonly<ToyUnetOptions> = Object.freeze({
  unet: {},
  steps: 1200,
  batch: 16,
  lr: 2e-3,
  warmupSteps: 50,
  textDropout: 0.1,
  seed: 0,
  trainSplit: 'train',
});

export interface ToyUnetReport {
  steps: number;
  trainSeconds: number;
  cpuSeconds: number;
  /** Parameters trained here (the UNet without its adapters) and the adapter parameters left at init. */
  parameters: number;
  adapterParameters: number;
  trainPairs: number;
  /** Mean ε-MSE over the first and the last 10 % of steps. */
  initialLoss: number;
  finalLoss: number;
  /** Loss averaged over consecutive windows (≤ 20 points) for plots. */
  lossCurve: Array<{ step: number; loss: number }>;
  /** Fraction of training examples whose caption was replaced by the null text. */
  droppedTextFraction: number;
}

export interface TrainedToyUnet {
  unet: UNet2DCondition;
  params: ParamStore;
  report: ToyUnetReport;
}

const WHAT = 'trainToyUnet';

/** The UNet config toy-SD trains for a latent side and text width (see ToyUnetOptions.unet). */
export function toyUnetConfig(overrides: Partial<UNetConfig>, latentSide: number, latentChannels: number, textWidth: number): UNetConfig {
  if (overrides.crossAttentionDim !== undefined && overrides.crossAttentionDim !== textWidth) {
    throw new Error(`${WHAT}: unet.crossAttentionDim ${overrides.crossAttentionDim} differs from the text encoder's width ${textWidth} (leave it unset)`);
  }
  return validateUNetConfig({
    ...TOY_SD_UNET_CONFIG,
    audioCrossAttentionDim: textWidth,
    ...overrides,
    sampleSize: latentSide,
    inChannels: latentChannels,
    outChannels: latentChannels,
    crossAttentionDim: textWidth,
  });
}

/** Encodes texts to one [n, L, W] tensor, checking the encoder's declared shape. */
export async function encodeTextTokens(encoder: TextEncoder, texts: string[]): Promise<tf.Tensor3D> {
  const rows = await encoder.encodeTokens(texts);
  const per = encoder.maxTokens * encoder.width;
  const data = new Float32Array(texts.length * per);
  rows.forEach((r, i) => {
    if (r.length !== per) throw new Error(`text encoder '${encoder.name}' returned ${r.length} values for "${texts[i]}", expected maxTokens·width = ${encoder.maxTokens}·${encoder.width}`);
    data.set(r, i * per);
  });
  return tf.tensor3d(data, [texts.length, encoder.maxTokens, encoder.width]);
}

/**
 * What the UNet trains on, computed once: scaled latents per pair, the distinct captions' tokens with the
 * null text's tokens as the last row, and each pair's caption row.
 */
export class ToyUnetData {
  private constructor(
    readonly latents: tf.Tensor4D,
    readonly textTable: tf.Tensor3D,
    readonly captionRow: number[],
    readonly nullRow: number,
  ) {}

  static async prepare(rows: readonly ResolvedManifestRow[], vae: AutoencoderKL, textEncoder: TextEncoder, imageSize: number): Promise<ToyUnetData> {
    const images = loadImageBatch(rows.map((r) => r.imagePath), imageSize);
    const latents = tf.tidy(() => {
      const means = encodeMeans(vae, images);
      return vae.scaleLatents(means);
    });
    images.dispose();
    const captions = [...new Set(rows.map((r) => r.caption))];
    const index = new Map(captions.map((c, i) => [c, i]));
    const textTable = await encodeTextTokens(textEncoder, [...captions, '']);
    return new ToyUnetData(latents, textTable, rows.map((r) => index.get(r.caption)!), captions.length);
  }

  get size(): number {
    return this.captionRow.length;
  }

  /** Latents and text tokens of the pairs `indices`; each caption is the null text with probability `dropout`. */
  batch(indices: number[], dropout: number, uniform: () => number): { latents: tf.Tensor4D; text: tf.Tensor3D; dropped: boolean[] } {
    const dropped = indices.map(() => uniform() < dropout);
    const textRows = indices.map((i, k) => (dropped[k] ? this.nullRow : this.captionRow[i]!));
    return tf.tidy(() => ({
      latents: gatherRows(this.latents, indices) as tf.Tensor4D,
      text: gatherRows(this.textTable, textRows) as tf.Tensor3D,
      dropped,
    }));
  }

  dispose(): void {
    tf.dispose([this.latents, this.textTable]);
  }
}

function resolveOptions(options: Partial<ToyUnetOptions>): ToyUnetOptions {
  const o: ToyUnetOptions = { ...TOY_UNET_DEFAULTS, ...options, unet: { ...(options.unet ?? {}) } };
  for (const f of ['steps', 'batch'] as const) checkPositiveInt(WHAT, f, o[f]);
  checkPositive(WHAT, 'lr', o.lr);
  if (!(o.textDropout >= 0 && o.textDropout <= 1)) throw new Error(`${WHAT}: option 'textDropout' must be in [0, 1], got ${o.textDropout}`);
  if (!(Number.isInteger(o.warmupSteps) && o.warmupSteps >= 0)) throw new Error(`${WHAT}: option 'warmupSteps' must be an integer ≥ 0, got ${o.warmupSteps}`);
  return o;
}

/** The ε-prediction loss of one batch: uniform timesteps and N(0, 1) noise, both from `seed`. */
export function toyUnetLoss(unet: UNet2DCondition, schedule: NoiseSchedule, latents: tf.Tensor4D, text: tf.Tensor3D, seed: number, uniform: () => number): tf.Scalar {
  const b = latents.shape[0];
  const timesteps = Array.from({ length: b }, () => Math.min(schedule.trainSteps - 1, Math.floor(uniform() * schedule.trainSteps)));
  return tf.tidy(() => {
    const eps = seededNormal<tf.Rank.R4>(latents.shape, seed);
    const noisy = schedule.addNoise(latents, eps, timesteps);
    const pred = unet.predict({ sample: noisy, timestep: tf.tensor1d(timesteps, 'float32'), textTokens: text });
    return epsilonMseLoss(pred, eps);
  });
}

export async function trainToyUnet(
  rows: readonly ResolvedManifestRow[],
  vae: AutoencoderKL,
  textEncoder: TextEncoder,
  options: Partial<ToyUnetOptions> = {},
  onProgress?: ToySdProgressFn,
  signal?: AbortSignal,
): Promise<TrainedToyUnet> {
  const o = resolveOptions(options);
  const trainRows = rowsOfSplit(rows, o.trainSplit, WHAT, true);
  const imageSize = vae.config.sampleSize;
  const latentSide = imageSize / vae.downsampleFactor;
  const config = toyUnetConfig(o.unet, latentSide, vae.config.latentChannels, textEncoder.width);
  const params = createUNetParams(config, { seed: o.seed, trainable: (name) => !isAdapterParam(name) });
  const unet = new UNet2DCondition(config, params);
  const data = await ToyUnetData.prepare(trainRows, vae, textEncoder, imageSize);
  const variables = params.variables((_, e) => e.trainable);
  const optimizer = groupedAdamW([{ name: 'unet', variables, lr: o.lr }]);
  const schedule = new NoiseSchedule();
  const sampler = new BatchSampler(data.size, o.seed);
  const losses: number[] = [];
  let dropped = 0;
  let seen = 0;
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const betweenSteps = yieldPoint(signal);
  try {
    for (let step = 0; step < o.steps; step++) {
      await betweenSteps();
      const lr = learningRate(step, o.steps, o.lr, o.warmupSteps);
      optimizer.groups[0]!.lr = lr;
      const uniform = () => sampler.uniform();
      const batch = data.batch(sampler.next(Math.min(o.batch, data.size)), o.textDropout, uniform);
      dropped += batch.dropped.filter(Boolean).length;
      seen += batch.dropped.length;
      const { loss, grads } = lossAndGrads(() => toyUnetLoss(unet, schedule, batch.latents, batch.text, stepSeed(o.seed, step, 2), uniform), variables);
      optimizer.step(grads);
      const value = loss.dataSync()[0]!;
      tf.dispose([loss, batch.latents, batch.text, ...grads.values()]);
      if (!Number.isFinite(value)) throw new Error(`${WHAT}: the loss became ${value} at step ${step + 1} (lower lr, now ${o.lr})`);
      losses.push(value);
      onProgress?.({ phase: 'unet', step: step + 1, steps: o.steps, loss: value, lr, elapsedSeconds: (performance.now() - started) / 1000 });
    }
  } catch (err) {
    params.dispose();
    throw err;
  } finally {
    data.dispose();
    optimizer.dispose();
  }
  const cpu = process.cpuUsage(cpuStart);
  const tail = Math.max(1, Math.round(o.steps / 10));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const window = Math.max(1, Math.ceil(o.steps / 20));
  const lossCurve: ToyUnetReport['lossCurve'] = [];
  for (let i = 0; i < losses.length; i += window) lossCurve.push({ step: Math.min(i + window, losses.length), loss: mean(losses.slice(i, i + window)) });
  const report: ToyUnetReport = {
    steps: o.steps,
    trainSeconds: (performance.now() - started) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    parameters: params.count((n) => !isAdapterParam(n)),
    adapterParameters: params.count(isAdapterParam),
    trainPairs: data.size,
    initialLoss: mean(losses.slice(0, tail)),
    finalLoss: mean(losses.slice(-tail)),
    lossCurve,
    droppedTextFraction: seen > 0 ? dropped / seen : 0,
  };
  return { unet, params, report };
}
