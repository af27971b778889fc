// The bundle's diffusion backbone: the UNet from a diffusers-layout unet/ directory (config.json +
// diffusion_pytorch_model.safetensors; SonicToy's toy-SD or SD 1.4 itself) and the latent codec of the
// bundle's `vae` role (latent-codec.ts: a diffusers VAE on tfjs, or the SD VAE through ONNX). The UNet gets
// fresh gated adapters (gate 0) unless its checkpoint carries adapter weights; an `adapter` artifact of
// train-adapter can then be loaded on top.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { SafetensorsFile } from '../../compute/safetensors.js';
import type { ParamStore } from '../../compute/param-store.js';
import { diffusionRoles, resolveModelPath } from '../../encoders/bundle.js';
import type { RgbImage } from '../../encoders/interfaces.js';
import { unetConfigFromDiffusers } from '../../encoders/toy/toy-sd/diffusers-config.js';
import { createUNetParams, isAdapterParam, loadUNetWeights, UNet2DCondition } from '../../sonic/unet/index.js';
import { DIFFUSERS_WEIGHTS, readDiffusersConfig } from './diffusers-dir.js';
import { assertModelFits } from '../../compute/capacity/backend-capacity.js';
import { estimateUNetMemory } from '../../sonic/unet/memory-estimate.js';
import { loadLatentCodec, type LatentCodec } from './latent-codec.js';
import type { OpenBundle } from './runtime.js';

export { DIFFUSERS_WEIGHTS } from './diffusers-dir.js';

/** Impls a bundle's `unet` role may name: both read a diffusers UNet2DConditionModel directory. */
export const UNET_IMPLS = ['toy-unet', 'diffusers-unet'] as const;

export interface DiffusionBackbone {
  unet: UNet2DCondition;
  unetParams: ParamStore;
  codec: LatentCodec;
  imageSize: number;
  /** [h, w, c] of one latent. */
  latentShape: [number, number, number];
  dispose(): void;
}

/** What the stage will run the UNet on; the capacity check sizes activations from it. */
export interface BackboneWorkload {
  /** Latents per UNet call (sampling with classifier-free guidance: 2 × the images per chunk). */
  batch: number;
  training: boolean;
}

export interface LoadBackboneOptions {
  seed?: number;
  trainableAdapters?: boolean;
  /** Default: sampling, batch 2. */
  workload?: BackboneWorkload;
  /** Receives the capacity check's one-line summary (the stage log). */
  log?: (message: string) => void;
}

export async function loadBackbone(bundle: OpenBundle, options: LoadBackboneOptions = {}): Promise<DiffusionBackbone> {
  const { vae, unet, image } = diffusionRoles(bundle);
  if (!(UNET_IMPLS as readonly string[]).includes(unet.impl)) {
    throw new Error(`${bundle.dir}/bundle.json: unet impl '${unet.impl}' is not known (known: ${UNET_IMPLS.join(', ')})`);
  }
  const unetDir = resolveModelPath(bundle, unet);
  const unetConfig = unetConfigFromDiffusers(readDiffusersConfig(unetDir, 'UNet'), join(unetDir, 'config.json'));
  const trainable = options.trainableAdapters ?? false;
  const codec = await loadLatentCodec(vae, resolveModelPath(bundle, vae)).catch((e: Error) => {
    throw new Error(`${bundle.dir}/bundle.json: vae (impl '${vae.impl}', path '${vae.path}'): ${e.message}`);
  });
  const imageSize = image.size;
  if (imageSize % codec.downsampleFactor !== 0) {
    codec.dispose();
    throw new Error(`${bundle.dir}/bundle.json: image.size ${imageSize} is not a multiple of the VAE's downsampling factor ${codec.downsampleFactor}`);
  }
  if (codec.latentChannels !== unetConfig.inChannels) {
    codec.dispose();
    throw new Error(`${bundle.dir}/bundle.json: the VAE makes ${codec.latentChannels}-channel latents but the UNet (${unetDir}) takes in_channels ${unetConfig.inChannels}`);
  }
  const side = imageSize / codec.downsampleFactor;
  const work = options.workload ?? { batch: 2, training: false };
  try {
    // Before any weight is built: a model that cannot fit the backend fails here, not as Aborted() later.
    const need = estimateUNetMemory(unetConfig, { batch: work.batch, latentSide: side, training: work.training });
    const what = work.training ? `an adapter training step at ${side}×${side} latents, batch ${work.batch}` : `sampling at ${side}×${side} latents, ${work.batch} latents per call`;
    options.log?.(assertModelFits({ model: `the UNet in ${unetDir} (${what})`, ...need }));
  } catch (e) {
    codec.dispose();
    throw e;
  }
  const unetParams = createUNetParams(unetConfig, { seed: options.seed ?? 0, trainable: (n) => trainable && isAdapterParam(n) });
  try {
    const weights = new SafetensorsFile(join(unetDir, DIFFUSERS_WEIGHTS));
    try {
      const hasAdapters = [...weights.tensors.keys()].some(isAdapterParam);
      loadUNetWeights(unetParams, weights, hasAdapters ? 'all' : 'base');
    } finally {
      weights.close();
    }
  } catch (e) {
    unetParams.dispose();
    codec.dispose();
    throw e;
  }
  return {
    unet: new UNet2DCondition(unetConfig, unetParams),
    unetParams,
    codec,
    imageSize,
    latentShape: [side, side, codec.latentChannels],
    dispose: () => {
      unetParams.dispose();
      codec.dispose();
    },
  };
}

/** Overwrites the UNet's adapter parameters with a train-adapter checkpoint. */
export function loadAdapterWeights(backbone: DiffusionBackbone, file: string): void {
  if (!existsSync(file)) throw new Error(`${file}: adapter weights not found`);
  loadUNetWeights(backbone.unetParams, file, 'adapters');
}

/** Images in [0, 1] (HWC) of the bundle's image size → diffusion latents (VAE posterior mean × scaling factor). */
export async function encodeImages(backbone: DiffusionBackbone, images: readonly RgbImage[]): Promise<tf.Tensor4D> {
  const s = backbone.imageSize;
  images.forEach((img, i) => {
    if (img.width !== s || img.height !== s) throw new Error(`image ${i} is ${img.width}×${img.height}; the bundle's image size is ${s}`);
  });
  return backbone.codec.encode(images);
}

/** Diffusion latents → images in [0, 1]. */
export async function decodeLatents(backbone: DiffusionBackbone, latents: tf.Tensor4D): Promise<RgbImage[]> {
  return backbone.codec.decode(latents);
}
