// A diffusers UNet2DConditionModel directory -> UNet2DCondition with SonicDiffusion's gated adapters.
// The adapters come from the checkpoint when it carries them, else from an adapter file, else fresh (gate 0,
// so the UNet computes exactly the base model).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ParamStore } from '../../compute/param-store.js';
import { SafetensorsFile } from '../../compute/safetensors.js';
import type { UNetConfig } from '../unet/config.js';
import { UNet2DCondition, isAdapterParam } from '../unet/unet2d-condition.js';
import { createUNetParams, loadUNetWeights } from '../unet/weights.js';
import type { ReadFieldsOptions } from './config-fields.js';
import { diffusersWeightsPath, readDiffusersConfigJson } from './diffusers-dir.js';
import { unetConfigFromJson } from './unet-config-json.js';
import { checkUNetCapacity, resolveUNetWorkload, type UNetWorkloadOption } from './unet-capacity.js';

/** SonicDiffusion adapter settings that override the config's sonic_* keys (defaults: the paper's). */
export interface AdapterSettings {
  audioCrossAttentionDim?: number;
  heads?: number;
  useAdapter?: [boolean, boolean, boolean];
}

export interface LoadUNetOptions extends ReadFieldsOptions {
  /** Adapter weights (safetensors with only the adapter tensors) loaded over the checkpoint's or fresh ones. */
  adapters?: string;
  adapterSettings?: AdapterSettings;
  /** Adapter parameters become trainable variables (SonicDiffusion stage 2); everything else stays frozen. */
  trainableAdapters?: boolean;
  /** Seed of the fresh adapters' initialisers. */
  seed?: number;
  /** Weights file variant, e.g. 'fp16' for diffusion_pytorch_model.fp16.safetensors (converted to float32). */
  variant?: string;
  /**
   * What the UNet will run (latents per call, latent side, training or sampling): sizes the activations of
   * the capacity check that runs before any weight is read. Defaults: one 8×8 latent, training when
   * `trainableAdapters` (MINIMAL_UNET_WORKLOAD), so only a model that cannot run here at all is refused.
   */
  workload?: UNetWorkloadOption;
  /** Receives the capacity check's one-line summary (model, size, backend limit) when the model fits. */
  onCapacity?: (summary: string) => void;
}

export interface LoadedUNet {
  unet: UNet2DCondition;
  params: ParamStore;
  config: UNetConfig;
  /** Where the adapter weights came from. */
  adapterSource: 'checkpoint' | 'adapter file' | 'fresh';
}

/** Reads and checks unet/config.json (every diffusers field; see unet-config-json.ts). */
export function readUNetConfig(dir: string, options: ReadFieldsOptions & { adapterSettings?: AdapterSettings } = {}): UNetConfig {
  const config = unetConfigFromJson(readDiffusersConfigJson(dir, 'UNet'), join(dir, 'config.json'), options);
  const s = options.adapterSettings ?? {};
  return {
    ...config,
    ...(s.audioCrossAttentionDim !== undefined ? { audioCrossAttentionDim: s.audioCrossAttentionDim } : {}),
    ...(s.heads !== undefined ? { adapterHeads: s.heads } : {}),
    ...(s.useAdapter !== undefined ? { useAdapter: s.useAdapter } : {}),
  };
}

/**
 * Reads the config, checks that the model fits the active backend (CapacityError naming the model, its size,
 * the backend's limit and what to install or pass otherwise), then builds the UNet and loads its weights.
 */
export function loadDiffusersUNet(dir: string, options: LoadUNetOptions = {}): LoadedUNet {
  const config = readUNetConfig(dir, options);
  const trainable = options.trainableAdapters ?? false;
  const summary = checkUNetCapacity(config, dir, resolveUNetWorkload(options.workload, trainable));
  options.onCapacity?.(summary);
  const weightsPath = diffusersWeightsPath(dir, options.variant);
  const params = createUNetParams(config, { seed: options.seed ?? 0, trainable: (n) => trainable && isAdapterParam(n) });
  let adapterSource: LoadedUNet['adapterSource'] = 'fresh';
  try {
    const weights = new SafetensorsFile(weightsPath);
    try {
      const hasAdapters = weights.keys().some(isAdapterParam);
      loadUNetWeights(params, weights, hasAdapters ? 'all' : 'base');
      if (hasAdapters) adapterSource = 'checkpoint';
    } finally {
      weights.close();
    }
    if (options.adapters !== undefined) {
      loadAdapterWeights(params, options.adapters);
      adapterSource = 'adapter file';
    }
    return { unet: new UNet2DCondition(config, params), params, config, adapterSource };
  } catch (e) {
    params.dispose();
    throw e;
  }
}

/**
 * Overwrites the adapter parameters with a file holding exactly the adapter tensors: a train-adapter
 * artifact's unet_adapters.safetensors, or an official SonicDiffusion checkpoint converted to safetensors.
 */
export function loadAdapterWeights(params: ParamStore, file: string): void {
  if (!existsSync(file)) throw new Error(`${file}: adapter weights not found (a safetensors file with the UNet's attn_adapter / norm_adapter / gate_adapter tensors)`);
  loadUNetWeights(params, file, 'adapters');
}
