// Creating and loading AutoencoderKL parameters with the generic ParamStore / torch-checkpoint machinery.
import { ParamStore, loadTorchCheckpoint, type LoadReport } from '../../compute/param-store.js';
import type { SafetensorsFile } from '../../compute/safetensors.js';
import { renameKeys } from '../../compute/weight-keys.js';
import { addParamsToStore } from '../unet/param-spec.js';
import { AutoencoderKL } from './autoencoder-kl.js';
import type { AutoencoderKLConfig } from './config.js';

export function createVaeParams(config: AutoencoderKLConfig, options: { seed?: number; trainable?: (name: string) => boolean } = {}): ParamStore {
  const store = new ParamStore(options.seed ?? 0);
  addParamsToStore(store, AutoencoderKL.paramSpecs(config), options.trainable);
  return store;
}

/**
 * Older diffusers VAE files (CompVis/stable-diffusion-v1-4 among them) name the mid-block attention
 * query/key/value/proj_attn; diffusers renames them to to_q/to_k/to_v/to_out.0 on load, and so do we.
 */
const DEPRECATED_ATTENTION_NAMES = renameKeys([
  [/(mid_block\.attentions\.0)\.query\./, '$1.to_q.'],
  [/(mid_block\.attentions\.0)\.key\./, '$1.to_k.'],
  [/(mid_block\.attentions\.0)\.value\./, '$1.to_v.'],
  [/(mid_block\.attentions\.0)\.proj_attn\./, '$1.to_out.0.'],
]);

/** Loads a full VAE checkpoint (strict: every parameter, nothing else, right shapes). */
export function loadVaeWeights(store: ParamStore, source: string | SafetensorsFile): LoadReport {
  return loadTorchCheckpoint(store, source, { strict: true, map: DEPRECATED_ATTENTION_NAMES });
}
