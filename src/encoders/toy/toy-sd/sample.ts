// Text-to-image with toy-SD: the model core's CFG DDIM sampler on the UNet, then the VAE decoder.
import * as tf from '@tensorflow/tfjs-core';
import { seededNormal } from '../../../compute/seeded-normal.js';
import type { RgbImage } from '../../../data/media/image.js';
import { sample } from '../../../sonic/guidance/cfg-sampler.js';
import type { NoisePredictor } from '../../../sonic/noise-predictor.js';
import type { AutoencoderKL } from '../../../sonic/vae/autoencoder-kl.js';
import { tensorToImages } from './images.js';

export interface ToySdSamplingModel {
  vae: AutoencoderKL;
  unet: NoisePredictor;
  latentScale: number;
}

export interface ToySdSampleOptions {
  steps: number;
  guidanceScale: number;
  seed: number;
  /** Images denoised per UNet call (the call itself runs 2× this for CFG). */
  chunk: number;
  onStep?: (done: number, total: number) => void;
}

export const TOY_SD_SAMPLE_DEFAULTS: Readonly<Omit<ToySdSampleOptions, 'onStep'>> = Object.freeze({ steps: 50, guidanceScale: 5, seed: 0, chunk: 32 });

/**
 * One image per row of `textTokens` [B, L, W]; `nullTokens` is T("") as [1, L, W]. The initial noise is drawn
 * for the whole batch from `seed` before chunking, so `chunk` changes results only by float rounding.
 */
export function sampleToySd(model: ToySdSamplingModel, textTokens: tf.Tensor3D, nullTokens: tf.Tensor3D, options: Partial<ToySdSampleOptions> = {}): RgbImage<Float32Array>[] {
  const o = { ...TOY_SD_SAMPLE_DEFAULTS, ...options };
  if (!(model.latentScale > 0)) throw new Error(`sampleToySd: latentScale must be positive, got ${model.latentScale}`);
  if (!Number.isInteger(o.chunk) || o.chunk < 1) throw new Error(`sampleToySd: chunk must be a positive integer, got ${o.chunk}`);
  const b = textTokens.shape[0];
  const vc = model.vae.config;
  const side = vc.sampleSize / model.vae.downsampleFactor;
  const noise = seededNormal<tf.Rank.R4>([b, side, side, vc.latentChannels], o.seed);
  const images: RgbImage<Float32Array>[] = [];
  const totalSteps = Math.ceil(b / o.chunk) * o.steps;
  let done = 0;
  try {
    for (let i = 0; i < b; i += o.chunk) {
      const n = Math.min(o.chunk, b - i);
      const latents = tf.slice(noise, [i, 0, 0, 0], [n, -1, -1, -1]);
      const text = tf.slice(textTokens, [i, 0, 0], [n, -1, -1]);
      const z0 = sample(model.unet, {
        latents,
        textTokens: text,
        nullTextTokens: nullTokens,
        steps: o.steps,
        guidanceScale: o.guidanceScale,
        onStep: () => o.onStep?.(++done, totalSteps),
      });
      const decoded = tf.tidy(() => model.vae.decode(tf.div(z0, model.latentScale)));
      images.push(...tensorToImages(decoded));
      tf.dispose([latents, text, z0, decoded]);
    }
  } finally {
    noise.dispose();
  }
  return images;
}
