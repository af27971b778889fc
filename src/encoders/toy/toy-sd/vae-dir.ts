// A toy-SD autoencoder on disk in the diffusers AutoencoderKL layout: config.json (scaling_factor = the latent
// scale) and diffusion_pytorch_model.safetensors. The toy-SD directory keeps it under vae/; the
// train-toy-vae stage writes it alone so the UNet stage can start from it.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { saveTorchCheckpoint, type ParamStore } from '../../../compute/param-store.js';
import { writeFileAtomicSync } from '../../../data/media/atomic-write.js';
import { AutoencoderKL } from '../../../sonic/vae/autoencoder-kl.js';
import { createVaeParams, loadVaeWeights } from '../../../sonic/vae/weights.js';
import { vaeConfigFromJson, vaeConfigToJson } from '../../../sonic/pretrained/vae-config-json.js';

export const VAE_WEIGHTS_FILE = 'diffusion_pytorch_model.safetensors';

export interface ToyVaeOnDisk {
  vae: AutoencoderKL;
  params: ParamStore;
  /** SD's scaling factor: latents are multiplied by it before the UNet sees them. */
  latentScale: number;
}

export function writeToyVaeDir(dir: string, vae: AutoencoderKL, params: ParamStore, latentScale: number): void {
  mkdirSync(dir, { recursive: true });
  const config = vaeConfigToJson({ ...vae.config, scalingFactor: latentScale });
  writeFileAtomicSync(join(dir, 'config.json'), Buffer.from(`${JSON.stringify(config, null, 2)}\n`));
  saveTorchCheckpoint(params, join(dir, VAE_WEIGHTS_FILE));
}

/** Loads a VAE directory written by writeToyVaeDir (frozen parameters). */
export function readToyVaeDir(dir: string): ToyVaeOnDisk {
  const path = join(dir, 'config.json');
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`${path}: cannot read the VAE config (${code ?? (e as Error).message}); is this a saved toy-SD VAE directory?`);
  }
  const config = vaeConfigFromJson(json, path);
  const params = createVaeParams(config, { trainable: () => false });
  try {
    loadVaeWeights(params, join(dir, VAE_WEIGHTS_FILE));
  } catch (e) {
    params.dispose();
    throw e;
  }
  return { vae: new AutoencoderKL(config, params), params, latentScale: config.scalingFactor };
}
