// A diffusers AutoencoderKL directory -> AutoencoderKL (frozen).
import { join } from 'node:path';
import type { ParamStore } from '../../compute/param-store.js';
import { AutoencoderKL } from '../vae/autoencoder-kl.js';
import type { AutoencoderKLConfig } from '../vae/config.js';
import { createVaeParams, loadVaeWeights } from '../vae/weights.js';
import type { ReadFieldsOptions } from './config-fields.js';
import { diffusersWeightsPath, readDiffusersConfigJson } from './diffusers-dir.js';
import { vaeConfigFromJson } from './vae-config-json.js';

export interface LoadedVae {
  vae: AutoencoderKL;
  params: ParamStore;
  config: AutoencoderKLConfig;
}

/** Reads and checks vae/config.json (every diffusers field; see vae-config-json.ts). */
export function readVaeConfig(dir: string, options: ReadFieldsOptions = {}): AutoencoderKLConfig {
  return vaeConfigFromJson(readDiffusersConfigJson(dir, 'VAE'), join(dir, 'config.json'), options);
}

export function loadDiffusersVae(dir: string, options: ReadFieldsOptions & { variant?: string } = {}): LoadedVae {
  const config = readVaeConfig(dir, options);
  const weightsPath = diffusersWeightsPath(dir, options.variant);
  const params = createVaeParams(config, { trainable: () => false });
  try {
    loadVaeWeights(params, weightsPath);
  } catch (e) {
    params.dispose();
    throw e;
  }
  return { vae: new AutoencoderKL(config, params), params, config };
}
