// The bundle's diffusion backbone: the UNet from a diffusers-layout unet/ directory (config.json +
// diffusion_pytorch_model.safetensors; SonicToy's toy-SD or SD 1.4 itself) and the latent codec of the
// bundle's `vae` role (latent-codec.ts: a diffusers VAE on tfjs, or the SD VAE through ONNX). The UNet gets
// fresh gated adapters (gate 0) unless its checkpoint carries adapter weights; an `adapter` artifact of
// train-adapter can then be loaded on top. The scheduler (noise schedule + DDIM settings) comes from the
// bundle's `scheduler` role, a diffusers scheduler/ folder, else it is SD's: generate, edit and
// train-adapter sample, invert and add noise with it.
import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../../compute/param-store.js';
import { diffusionRoles, resolveModelPath, type ModelRef } from '../../encoders/bundle.js';
import type { RgbImage } from '../../encoders/interfaces.js';
import { loadAdapterWeights as loadAdapterFile, loadDiffusersUNet, readSchedulerConfig, readUNetConfig, type LoadedUNet } from '../../sonic/pretrained/index.js';
import { DdimScheduler, NoiseSchedule } from '../../sonic/method.js';
import { SD_SCHEDULER_CONFIG, type SchedulerConfig } from '../../sonic/schedulers/scheduler-config.js';
import type { UNet2DCondition } from '../../sonic/unet/index.js';
import { loadLatentCodec, type LatentCodec } from './latent-codec.js';
import type { OpenBundle } from './runtime.js';

export { DIFFUSERS_WEIGHTS } from '../../sonic/pretrained/index.js';

/** Impls a bundle's `unet` role may name: both read a diffusers UNet2DConditionModel directory. */
export const UNET_IMPLS = ['toy-unet', 'diffusers-unet'] as const;
/** Impls a bundle's `scheduler` role may name. */
export const SCHEDULER_IMPLS = ['diffusers-scheduler'] as const;

export interface DiffusionBackbone {
  unet: UNet2DCondition;
  unetParams: ParamStore;
  codec: LatentCodec;
  imageSize: number;
  /** [h, w, c] of one latent. */
  latentShape: [number, number, number];
  /** The bundle's scheduler_config.json, or SD's scheduler (SD_SCHEDULER_CONFIG) when it has none. */
  scheduler: SchedulerConfig;
  dispose(): void;
}

/** A fresh DDIM sampler (it keeps its timesteps) on the backbone's scheduler config. */
export function backboneDdim(backbone: Pick<DiffusionBackbone, 'scheduler'>): DdimScheduler {
  return DdimScheduler.fromConfig(backbone.scheduler);
}

/** The DDPM noise schedule the backbone's UNet was trained with. */
export function backboneNoiseSchedule(backbone: Pick<DiffusionBackbone, 'scheduler'>): NoiseSchedule {
  return new NoiseSchedule(backbone.scheduler);
}

/** The scheduler config a bundle names (its `scheduler` role), or SD's. */
export function readBundleScheduler(bundle: OpenBundle, ref: ModelRef | undefined): SchedulerConfig {
  if (ref === undefined) return SD_SCHEDULER_CONFIG;
  if (!(SCHEDULER_IMPLS as readonly string[]).includes(ref.impl)) {
    throw new Error(`${bundle.dir}/bundle.json: scheduler impl '${ref.impl}' is not known (known: ${SCHEDULER_IMPLS.join(', ')})`);
  }
  return readSchedulerConfig(resolveModelPath(bundle, ref));
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
  const { vae, unet, image, scheduler: schedulerRef } = diffusionRoles(bundle);
  if (!(UNET_IMPLS as readonly string[]).includes(unet.impl)) {
    throw new Error(`${bundle.dir}/bundle.json: unet impl '${unet.impl}' is not known (known: ${UNET_IMPLS.join(', ')})`);
  }
  const scheduler = readBundleScheduler(bundle, schedulerRef);
  const unetDir = resolveModelPath(bundle, unet);
  const unetConfig = readUNetConfig(unetDir);
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
  let loaded: LoadedUNet;
  try {
    // The loader's capacity check runs before any weight is built: a model that cannot fit fails there.
    loaded = loadDiffusersUNet(unetDir, {
      seed: options.seed ?? 0,
      trainableAdapters: options.trainableAdapters ?? false,
      workload: { batch: work.batch, latentSide: side, training: work.training },
      ...(options.log ? { onCapacity: options.log } : {}),
    });
  } catch (e) {
    codec.dispose();
    throw e;
  }
  return {
    unet: loaded.unet,
    unetParams: loaded.params,
    codec,
    imageSize,
    latentShape: [side, side, codec.latentChannels],
    scheduler,
    dispose: () => {
      loaded.params.dispose();
      codec.dispose();
    },
  };
}

/** Overwrites the UNet's adapter parameters with a train-adapter checkpoint. */
export function loadAdapterWeights(backbone: DiffusionBackbone, file: string): void {
  loadAdapterFile(backbone.unetParams, file);
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
