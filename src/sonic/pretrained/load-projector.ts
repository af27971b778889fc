// The SonicDiffusion audio projector from disk: a directory as train-adapter writes it (config.json +
// projector.safetensors), or a bare safetensors file with the official keys (e.g. the released
// audio_projector_landscape.pth converted to safetensors), whose shape is given by `config`
// (default: the released projector, OFFICIAL_PROJECTOR).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SafetensorsFile } from '../../compute/safetensors.js';
import { AudioProjector } from '../projector/audio-projector.js';
import { OFFICIAL_PROJECTOR, validateProjectorConfig, type AudioProjectorConfig } from '../projector/projector-config.js';

export const PROJECTOR_CONFIG_FILE = 'config.json';
export const PROJECTOR_WEIGHTS_FILE = 'projector.safetensors';

/** The AudioProjectorConfig of a projector directory's config.json (other keys there are run information). */
export function readProjectorConfig(dir: string): AudioProjectorConfig {
  const path = join(dir, PROJECTOR_CONFIG_FILE);
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${path}: cannot read the projector config (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const config = {
    inputDim: raw.inputDim, tokens: raw.tokens, kernelSize: raw.kernelSize, heads: raw.heads, dimHead: raw.dimHead, blocks: raw.blocks, chained: raw.chained,
    ...(raw.outputDim !== undefined ? { outputDim: raw.outputDim } : {}),
  } as AudioProjectorConfig;
  if (typeof config.chained !== 'boolean') throw new Error(`${path}: field 'chained' must be true or false, got ${JSON.stringify(raw.chained)}`);
  try {
    validateProjectorConfig(config);
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
  return config;
}

/**
 * `path`: a projector directory, or a .safetensors file with the official keys. `config` describes a bare
 * file (default OFFICIAL_PROJECTOR); a directory carries its own.
 */
export function loadAudioProjector(path: string, config?: AudioProjectorConfig): AudioProjector {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new Error(`${path}: audio projector not found (expected a directory with ${PROJECTOR_CONFIG_FILE} + ${PROJECTOR_WEIGHTS_FILE}, or a .safetensors file)`);
  }
  if (isDir && config !== undefined) throw new Error(`${path}: a projector directory carries its own ${PROJECTOR_CONFIG_FILE}; pass a projector config only with a bare .safetensors file`);
  const resolved = isDir ? readProjectorConfig(path) : (config ?? OFFICIAL_PROJECTOR);
  if (!isDir) validateProjectorConfig(resolved);
  const weights = isDir ? join(path, PROJECTOR_WEIGHTS_FILE) : path;
  const file = new SafetensorsFile(weights);
  try {
    return AudioProjector.fromTorchTensors(resolved, (n) => (file.tensors.has(n) ? file.read(n) : undefined), weights);
  } finally {
    file.close();
  }
}
