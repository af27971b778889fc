// The bundle's diffusion backbone: unet/ and vae/ directories laid out like diffusers (config.json +
// diffusion_pytorch_model.safetensors). The UNet gets fresh gated adapters (gate 0) unless its checkpoint
// carries adapter weights; an `adapter` artifact of train-adapter can then be loaded on top.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { SafetensorsFile } from '../../compute/safetensors.js';
import type { ParamStore } from '../../compute/param-store.js';
import { resolveModelPath } from '../../encoders/bundle.js';
import { unetConfigFromDiffusers, vaeConfigFromDiffusers } from '../../encoders/toy/toy-sd/diffusers-config.js';
import { createUNetParams, isAdapterParam, loadUNetWeights, UNet2DCondition } from '../../sonic/unet/index.js';
import { AutoencoderKL, createVaeParams, loadVaeWeights } from '../../sonic/vae/index.js';
import type { OpenBundle } from './runtime.js';

export const DIFFUSERS_WEIGHTS = 'diffusion_pytorch_model.safetensors';

export interface DiffusionBackbone {
  unet: UNet2DCondition;
  unetParams: ParamStore;
  vae: AutoencoderKL;
  vaeParams: ParamStore;
  imageSize: number;
  /** [h, w, c] of one latent. */
  latentShape: [number, number, number];
  dispose(): void;
}

function readConfig(dir: string, what: string): Record<string, unknown> {
  const path = join(dir, 'config.json');
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${path}: cannot read the ${what} config (${(e as Error).message})`);
  }
}

export function loadBackbone(bundle: OpenBundle, options: { seed?: number; trainableAdapters?: boolean } = {}): DiffusionBackbone {
  const unetDir = resolveModelPath(bundle, bundle.unet);
  const vaeDir = resolveModelPath(bundle, bundle.vae);
  const unetConfig = unetConfigFromDiffusers(readConfig(unetDir, 'UNet'), join(unetDir, 'config.json'));
  const vaeConfig = vaeConfigFromDiffusers(readConfig(vaeDir, 'VAE'), join(vaeDir, 'config.json'));
  const trainable = options.trainableAdapters ?? false;
  const unetParams = createUNetParams(unetConfig, { seed: options.seed ?? 0, trainable: (n) => trainable && isAdapterParam(n) });
  const vaeParams = createVaeParams(vaeConfig, { trainable: () => false });
  try {
    const weights = new SafetensorsFile(join(unetDir, DIFFUSERS_WEIGHTS));
    try {
      const hasAdapters = [...weights.tensors.keys()].some(isAdapterParam);
      loadUNetWeights(unetParams, weights, hasAdapters ? 'all' : 'base');
    } finally {
      weights.close();
    }
    loadVaeWeights(vaeParams, join(vaeDir, DIFFUSERS_WEIGHTS));
  } catch (e) {
    unetParams.dispose();
    vaeParams.dispose();
    throw e;
  }
  const vae = new AutoencoderKL(vaeConfig, vaeParams);
  const imageSize = bundle.image.size;
  const side = imageSize / vae.downsampleFactor;
  return {
    unet: new UNet2DCondition(unetConfig, unetParams),
    unetParams,
    vae,
    vaeParams,
    imageSize,
    latentShape: [side, side, vaeConfig.latentChannels],
    dispose: () => {
      unetParams.dispose();
      vaeParams.dispose();
    },
  };
}

/** Overwrites the UNet's adapter parameters with a train-adapter checkpoint. */
export function loadAdapterWeights(backbone: DiffusionBackbone, file: string): void {
  if (!existsSync(file)) throw new Error(`${file}: adapter weights not found`);
  loadUNetWeights(backbone.unetParams, file, 'adapters');
}

/** Images in [0, 1] (HWC) → diffusion latents (VAE posterior mean × scaling factor). */
export function encodeImages(backbone: DiffusionBackbone, images: readonly { width: number; height: number; data: Float32Array }[], chunk = 32): tf.Tensor4D {
  const parts: tf.Tensor4D[] = [];
  for (let i = 0; i < images.length; i += chunk) {
    const slice = images.slice(i, i + chunk);
    parts.push(
      tf.tidy(() => {
        const s = backbone.imageSize;
        const data = new Float32Array(slice.length * s * s * 3);
        slice.forEach((img, j) => {
          if (img.width !== s || img.height !== s) throw new Error(`image ${i + j} is ${img.width}×${img.height}; the bundle's image size is ${s}`);
          for (let k = 0; k < img.data.length; k++) data[j * s * s * 3 + k] = img.data[k]! * 2 - 1;
        });
        return backbone.vae.scaleLatents(backbone.vae.encode(tf.tensor4d(data, [slice.length, s, s, 3])));
      }),
    );
  }
  const out = tf.concat(parts, 0);
  tf.dispose(parts);
  return out;
}

/** Diffusion latents → images in [0, 1]. */
export function decodeLatents(backbone: DiffusionBackbone, latents: tf.Tensor4D, chunk = 32): { width: number; height: number; data: Float32Array }[] {
  const out: { width: number; height: number; data: Float32Array }[] = [];
  const n = latents.shape[0];
  for (let i = 0; i < n; i += chunk) {
    const x = tf.tidy(() => backbone.vae.decode(backbone.vae.unscaleLatents(tf.slice(latents, [i, 0, 0, 0], [Math.min(chunk, n - i), -1, -1, -1]) as tf.Tensor4D)));
    const [b, h, w] = x.shape;
    const v = x.dataSync();
    x.dispose();
    const per = h * w * 3;
    for (let j = 0; j < b; j++) {
      const data = new Float32Array(per);
      for (let k = 0; k < per; k++) data[k] = Math.min(1, Math.max(0, (v[j * per + k]! + 1) / 2));
      out.push({ width: w, height: h, data });
    }
  }
  return out;
}
