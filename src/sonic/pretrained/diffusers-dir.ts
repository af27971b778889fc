// A diffusers model directory: config.json + diffusion_pytorch_model[.<variant>].safetensors.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pthToSafetensorsCommand } from '../../compute/weight-keys.js';
import { DiffusersConfigError } from './config-fields.js';

export const DIFFUSERS_WEIGHTS = 'diffusion_pytorch_model.safetensors';

/** The weights file of a model directory; `variant` picks e.g. diffusion_pytorch_model.fp16.safetensors. */
export function diffusersWeightsPath(dir: string, variant?: string): string {
  const path = join(dir, variant ? `diffusion_pytorch_model.${variant}.safetensors` : DIFFUSERS_WEIGHTS);
  if (existsSync(path)) return path;
  const bin = join(dir, 'diffusion_pytorch_model.bin');
  const hint = existsSync(bin)
    ? ` Only a PyTorch pickle is there; convert it once: ${pthToSafetensorsCommand(bin, path)}`
    : ' Put the safetensors weights of this model there (the Hugging Face repository has them next to config.json).';
  throw new Error(`${path}: weights not found.${hint}`);
}

/** The parsed config.json of a model directory; `what` names the model in errors ("UNet", "VAE"). */
export function readDiffusersConfigJson(dir: string, what: string): unknown {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir}: the ${what} directory does not exist (expected a diffusers model folder with config.json)`);
  const path = join(dir, 'config.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read the ${what} config (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new DiffusersConfigError(path, null, undefined, `not valid JSON (${(e as Error).message})`);
  }
}
