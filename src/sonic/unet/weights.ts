// Creating and loading the UNet's parameters with the generic ParamStore / torch-checkpoint machinery.
import { ParamStore, loadTorchCheckpoint, type LoadReport } from '../../compute/param-store.js';
import type { SafetensorsFile } from '../../compute/safetensors.js';
import type { UNetConfig } from './config.js';
import { addParamsToStore } from './param-spec.js';
import { UNet2DCondition, isAdapterParam } from './unet2d-condition.js';

export interface CreateParamsOptions {
  /** Seed of the random initialisers (per parameter: seed ⊕ name). */
  seed?: number;
  /** Parameters an optimizer may update (default: all); `isAdapterParam` for SonicDiffusion stage 2. */
  trainable?: (name: string) => boolean;
}

/** A ParamStore holding every UNet parameter (torch-default init, adapter gates 0), named by diffusers key. */
export function createUNetParams(config: UNetConfig, options: CreateParamsOptions = {}): ParamStore {
  const store = new ParamStore(options.seed ?? 0);
  addParamsToStore(store, UNet2DCondition.paramSpecs(config), options.trainable);
  return store;
}

/**
 * Which parameters a checkpoint fills: 'all' (a full UNet incl. adapters), 'base' (SD's
 * unet/diffusion_pytorch_model.safetensors, no adapters) or 'adapters' (the 8-per-layer adapter tensors of
 * the official checkpoints, converted to safetensors). Loading is strict within the part: every parameter
 * of the part must be present with the right shape and no other key may appear; errors list them all.
 */
export type UNetWeightPart = 'all' | 'base' | 'adapters';

export function loadUNetWeights(store: ParamStore, source: string | SafetensorsFile, part: UNetWeightPart = 'all'): LoadReport {
  const only = part === 'all' ? undefined : part === 'adapters' ? isAdapterParam : (name: string) => !isAdapterParam(name);
  return loadTorchCheckpoint(store, source, { strict: true, ...(only ? { only } : {}) });
}
