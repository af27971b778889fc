// A trained projector on disk: config.json (AudioProjectorConfig) + projector.safetensors (official keys,
// torch layout), so a paper checkpoint converted to safetensors has the same shape.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SafetensorsFile, writeSafetensors } from '../../compute/safetensors.js';
import { AudioProjector, validateProjectorConfig, type AudioProjectorConfig } from '../../sonic/method.js';
import { readJson, writeJson } from '../common/json-file.js';

const CONFIG = 'config.json';
const WEIGHTS = 'projector.safetensors';

export async function saveProjector(dir: string, projector: AudioProjector, extra: Record<string, unknown> = {}): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeJson(join(dir, CONFIG), { ...projector.config, ...extra });
  writeSafetensors(join(dir, WEIGHTS), await projector.toTorchTensors());
}

export function loadProjector(dir: string): AudioProjector {
  const raw = readJson<AudioProjectorConfig & Record<string, unknown>>(join(dir, CONFIG), 'the projector config');
  const config: AudioProjectorConfig = {
    inputDim: raw.inputDim, tokens: raw.tokens, kernelSize: raw.kernelSize, heads: raw.heads, dimHead: raw.dimHead, blocks: raw.blocks, chained: raw.chained,
    ...(raw.outputDim !== undefined ? { outputDim: raw.outputDim } : {}),
  };
  validateProjectorConfig(config);
  const file = new SafetensorsFile(join(dir, WEIGHTS));
  try {
    return AudioProjector.fromTorchTensors(config, (n) => (file.tensors.has(n) ? file.read(n) : undefined), join(dir, WEIGHTS));
  } finally {
    file.close();
  }
}

export function readProjectorInfo(dir: string): Record<string, unknown> {
  return readJson<Record<string, unknown>>(join(dir, CONFIG), 'the projector config');
}
