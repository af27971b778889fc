// A trained projector on disk: config.json (AudioProjectorConfig) + projector.safetensors (official keys,
// torch layout), so a paper checkpoint converted to safetensors has the same shape.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeSafetensors } from '../../compute/safetensors.js';
import type { AudioProjector } from '../../sonic/method.js';
import { loadAudioProjector, PROJECTOR_CONFIG_FILE as CONFIG, PROJECTOR_WEIGHTS_FILE as WEIGHTS } from '../../sonic/pretrained/index.js';
import { readJson, writeJson } from '../common/json-file.js';

export async function saveProjector(dir: string, projector: AudioProjector, extra: Record<string, unknown> = {}): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeJson(join(dir, CONFIG), { ...projector.config, ...extra });
  writeSafetensors(join(dir, WEIGHTS), await projector.toTorchTensors());
}

/** A projector directory written by saveProjector (the public loader, loadAudioProjector, reads it). */
export function loadProjector(dir: string): AudioProjector {
  return loadAudioProjector(dir);
}

export function readProjectorInfo(dir: string): Record<string, unknown> {
  return readJson<Record<string, unknown>>(join(dir, CONFIG), 'the projector config');
}
