// toy-SD on disk, laid out like a diffusers SD-1.x pipeline so the method stages load it exactly as they
// would load SD 1.4: unet/{config.json, diffusion_pytorch_model.safetensors} (no adapter keys: the method
// adds fresh gated adapters), vae/{config.json, diffusion_pytorch_model.safetensors} with scaling_factor =
// the latent scale, and toy_sd.json (latent scale, image size, the text encoder the UNet was trained with).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { saveTorchCheckpoint, type ParamStore } from '../../../compute/param-store.js';
import { writeFileAtomicSync } from '../../../data/media/atomic-write.js';
import type { UNetConfig } from '../../../sonic/unet/config.js';
import { UNet2DCondition, isAdapterParam } from '../../../sonic/unet/unet2d-condition.js';
import { createUNetParams, loadUNetWeights } from '../../../sonic/unet/weights.js';
import type { AutoencoderKL } from '../../../sonic/vae/autoencoder-kl.js';
import { unetConfigFromJson, unetConfigToJson } from '../../../sonic/pretrained/unet-config-json.js';
import { VAE_WEIGHTS_FILE, readToyVaeDir, writeToyVaeDir, type ToyVaeOnDisk } from './vae-dir.js';

export const TOY_SD_FILE = 'toy_sd.json';
/** The diffusers weights file name, the same for unet/ and vae/. */
export const WEIGHTS_FILE = VAE_WEIGHTS_FILE;
const KIND = 'sonictoy-toy-sd';

export interface ToySdTextEncoderInfo {
  name: string;
  maxTokens: number;
  width: number;
}

/** A trained (or loaded) toy-SD: the two models, their parameter stores and the latent scale. */
export interface ToySd {
  vae: AutoencoderKL;
  vaeParams: ParamStore;
  unet: UNet2DCondition;
  unetParams: ParamStore;
  latentScale: number;
  imageSize: number;
  /** The text encoder whose per-token states the UNet was trained on (null when unknown). */
  textEncoder: ToySdTextEncoderInfo | null;
}

interface ToySdJson {
  kind: typeof KIND;
  version: 1;
  latentScale: number;
  imageSize: number;
  latentShape: [number, number, number];
  textEncoder: ToySdTextEncoderInfo | null;
}

function writeJson(path: string, value: unknown): void {
  writeFileAtomicSync(path, Buffer.from(`${JSON.stringify(value, null, 2)}\n`));
}

function readJson(path: string, what: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read the ${what} (${(e as NodeJS.ErrnoException).code ?? String(e)}); is this a saved toy-SD directory?`);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${path}: the ${what} is not valid JSON (${(e as Error).message})`);
  }
}

export function saveToySd(dir: string, model: ToySd): void {
  mkdirSync(join(dir, 'unet'), { recursive: true });
  writeJson(join(dir, 'unet', 'config.json'), unetConfigToJson(model.unet.config));
  saveTorchCheckpoint(model.unetParams, join(dir, 'unet', WEIGHTS_FILE), (n) => !isAdapterParam(n));
  writeToyVaeDir(join(dir, 'vae'), model.vae, model.vaeParams, model.latentScale);
  const side = model.imageSize / model.vae.downsampleFactor;
  const info: ToySdJson = {
    kind: KIND,
    version: 1,
    latentScale: model.latentScale,
    imageSize: model.imageSize,
    latentShape: [side, side, model.vae.config.latentChannels],
    textEncoder: model.textEncoder,
  };
  writeJson(join(dir, TOY_SD_FILE), info);
}

export interface LoadToySdOptions {
  /** Seed of the fresh adapter initialisation (gates are 0 whatever the seed). */
  seed?: number;
  /** Which UNet parameters are trainable (default: the adapters only, as in SonicDiffusion stage 2). */
  trainable?: (name: string) => boolean;
}

export function readToySdConfig(dir: string): { unet: UNetConfig; info: ToySdJson } {
  const path = join(dir, TOY_SD_FILE);
  const info = readJson(path, 'toy-SD description') as Partial<ToySdJson>;
  if (info.kind !== KIND) throw new Error(`${path}: field 'kind' is ${JSON.stringify(info.kind)}, expected '${KIND}'`);
  if (info.version !== 1) throw new Error(`${path}: field 'version' is ${JSON.stringify(info.version)}, this reader knows version 1`);
  if (!(typeof info.latentScale === 'number' && info.latentScale > 0)) throw new Error(`${path}: field 'latentScale' must be a positive number`);
  const unetPath = join(dir, 'unet', 'config.json');
  return { unet: unetConfigFromJson(readJson(unetPath, 'UNet config'), unetPath), info: info as ToySdJson };
}

/** Loads a saved toy-SD: UNet base weights (strict, diffusers keys) plus freshly initialised adapters, and the VAE. */
export function loadToySd(dir: string, options: LoadToySdOptions = {}): ToySd {
  const { unet: unetConfig, info } = readToySdConfig(dir);
  const unetParams = createUNetParams(unetConfig, { seed: options.seed ?? 0, trainable: options.trainable ?? isAdapterParam });
  let vae: ToyVaeOnDisk;
  try {
    loadUNetWeights(unetParams, join(dir, 'unet', WEIGHTS_FILE), 'base');
    vae = readToyVaeDir(join(dir, 'vae'));
  } catch (e) {
    unetParams.dispose();
    throw e;
  }
  return {
    vae: vae.vae,
    vaeParams: vae.params,
    unet: new UNet2DCondition(unetConfig, unetParams),
    unetParams,
    latentScale: info.latentScale,
    imageSize: info.imageSize,
    textEncoder: info.textEncoder ?? null,
  };
}
