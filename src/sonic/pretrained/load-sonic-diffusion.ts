// One call for the whole SonicDiffusion model: a diffusers directory (unet/, vae/) plus the SonicDiffusion
// checkpoints (gated-adapter weights, audio projector). The paper pipeline's stages load through the same
// functions (loadDiffusersUNet, loadDiffusersVae, loadAudioProjector).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ParamStore } from '../../compute/param-store.js';
import type { AudioProjector } from '../projector/audio-projector.js';
import type { AudioProjectorConfig } from '../projector/projector-config.js';
import type { SchedulerConfig } from '../schedulers/scheduler-config.js';
import type { UNetConfig } from '../unet/config.js';
import type { UNet2DCondition } from '../unet/unet2d-condition.js';
import type { ReadFieldsOptions } from './config-fields.js';
import { loadAudioProjector } from './load-projector.js';
import { loadDiffusersUNet, type AdapterSettings, type LoadedUNet } from './load-unet.js';
import { loadDiffusersVae, type LoadedVae } from './load-vae.js';
import { readSchedulerConfig } from './read-scheduler.js';
import type { UNetWorkloadOption } from './unet-capacity.js';

export interface LoadSonicDiffusionOptions extends ReadFieldsOptions {
  /** A diffusers pipeline directory with unet/ and (optionally) vae/, e.g. a CompVis/stable-diffusion-v1-4 download. */
  diffusersDir?: string;
  /** The UNet directory, if not `<diffusersDir>/unet`. */
  unetDir?: string;
  /** The VAE directory, if not `<diffusersDir>/vae`; null: no VAE. Without either, a missing vae/ means no VAE. */
  vaeDir?: string | null;
  /** The scheduler directory, if not `<diffusersDir>/scheduler`; null: none (`scheduler` is then null). */
  schedulerDir?: string | null;
  /** Gated-adapter weights (safetensors): a train-adapter artifact's unet_adapters.safetensors or a converted official checkpoint. */
  adapters?: string;
  /** Overrides the unet config's sonic_* adapter settings (defaults: the paper's, audio width = cross_attention_dim). */
  adapterSettings?: AdapterSettings;
  /** Audio projector: a directory (config.json + projector.safetensors) or a safetensors file with the official keys. */
  projector?: string;
  /** Shape of a bare projector file (default: the released projector, OFFICIAL_PROJECTOR). */
  projectorConfig?: AudioProjectorConfig;
  /** Adapter parameters as trainable variables (stage 2). */
  trainableAdapters?: boolean;
  /** Seed of fresh adapters (used when neither the checkpoint nor `adapters` has them). */
  seed?: number;
  /** Weights variant, e.g. 'fp16' (diffusion_pytorch_model.fp16.safetensors, read as float32). */
  variant?: string;
  /** What the UNet will run: sizes the capacity check before loading (see LoadUNetOptions.workload). */
  workload?: UNetWorkloadOption;
  /** Receives the capacity check's one-line summary. */
  onCapacity?: (summary: string) => void;
}

export interface SonicDiffusionModels {
  unet: UNet2DCondition;
  unetParams: ParamStore;
  unetConfig: UNetConfig;
  adapterSource: LoadedUNet['adapterSource'];
  /** null when no VAE directory was given or found. */
  vae: LoadedVae | null;
  /** null when no projector was given. */
  projector: AudioProjector | null;
  /**
   * scheduler/scheduler_config.json read as DDIMScheduler reads it (noise schedule + DDIM settings; checked:
   * ε-prediction, scaled_linear, leading spacing); null without one. `DdimScheduler.fromConfig` samples with it.
   */
  scheduler: SchedulerConfig | null;
  /** Frees every tensor of the loaded models. */
  dispose(): void;
}

function resolveDirs(o: LoadSonicDiffusionOptions): { unetDir: string; vaeDir: string | null; schedulerDir: string | null } {
  const where = 'loadSonicDiffusion';
  if (o.unetDir === undefined && o.diffusersDir === undefined) throw new Error(`${where}: give diffusersDir (a folder with unet/ and vae/) or unetDir`);
  const unetDir = o.unetDir ?? join(o.diffusersDir!, 'unet');
  /** An explicit directory (or null), else the diffusers folder's sub-folder when it exists. */
  const optional = (given: string | null | undefined, sub: string): string | null => {
    if (given !== undefined) return given;
    const dir = o.diffusersDir === undefined ? null : join(o.diffusersDir, sub);
    return dir !== null && existsSync(dir) ? dir : null;
  };
  return { unetDir, vaeDir: optional(o.vaeDir, 'vae'), schedulerDir: optional(o.schedulerDir, 'scheduler') };
}

/** Loads the UNet (with adapters), the VAE and the audio projector; checks that their widths fit together. */
export async function loadSonicDiffusion(options: LoadSonicDiffusionOptions): Promise<SonicDiffusionModels> {
  const { unetDir, vaeDir, schedulerDir } = resolveDirs(options);
  const scheduler = schedulerDir === null ? null : readSchedulerConfig(schedulerDir);
  const fields: ReadFieldsOptions = {
    ...(options.unknownFields !== undefined ? { unknownFields: options.unknownFields } : {}),
    ...(options.onWarning !== undefined ? { onWarning: options.onWarning } : {}),
  };
  const variant = options.variant !== undefined ? { variant: options.variant } : {};
  const loaded: Array<{ dispose(): void }> = [];
  try {
    const unet = loadDiffusersUNet(unetDir, {
      ...fields,
      ...variant,
      ...(options.adapters !== undefined ? { adapters: options.adapters } : {}),
      ...(options.adapterSettings !== undefined ? { adapterSettings: options.adapterSettings } : {}),
      ...(options.workload !== undefined ? { workload: options.workload } : {}),
      ...(options.onCapacity !== undefined ? { onCapacity: options.onCapacity } : {}),
      trainableAdapters: options.trainableAdapters ?? false,
      seed: options.seed ?? 0,
    });
    loaded.push(unet.params);
    const vae = vaeDir === null ? null : loadDiffusersVae(vaeDir, { ...fields, ...variant });
    if (vae) {
      loaded.push(vae.params);
      if (vae.config.latentChannels !== unet.config.inChannels) {
        throw new Error(`${vaeDir}/config.json: the VAE makes ${vae.config.latentChannels}-channel latents but the UNet (${unetDir}) takes in_channels ${unet.config.inChannels}`);
      }
    }
    const projector = options.projector === undefined ? null : loadAudioProjector(options.projector, options.projectorConfig);
    if (projector) {
      loaded.push(projector);
      const width = projector.dims.outputDim;
      if (width !== unet.config.audioCrossAttentionDim) {
        throw new Error(
          `${options.projector}: the projector makes ${width}-wide audio tokens but the UNet's adapters (${unetDir}) take ${unet.config.audioCrossAttentionDim} (sonic_audio_cross_attention_dim, default cross_attention_dim; override with adapterSettings.audioCrossAttentionDim)`,
        );
      }
    }
    return {
      unet: unet.unet,
      unetParams: unet.params,
      unetConfig: unet.config,
      adapterSource: unet.adapterSource,
      vae,
      projector,
      scheduler,
      dispose: () => loaded.forEach((m) => m.dispose()),
    };
  } catch (e) {
    loaded.forEach((m) => m.dispose());
    throw e;
  }
}
