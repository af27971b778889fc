// Shared fixtures of the toy-encoder tests: a tiny generated SonicToy world and quick training profiles.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '../../../src/compute/tfjs.js';
import type { ParamStore } from '../../../src/compute/param-store.js';
import { join } from 'node:path';
import { removeTempDir, tempDir } from '../../helpers/temp-dir.js';
import { generateSonicToy, readManifest, type ResolvedManifestRow, type SonicToyDomain } from '../../../src/data/sonictoy/index.js';
import { TOY_CLIP_QUICK, type ToyClipTrainOptions } from '../../../src/encoders/toy/toy-clip.js';
import { TOY_CLAP_QUICK, type ToyClapTrainOptions } from '../../../src/encoders/toy/toy-clap.js';
import { TOY_WAV2CLIP_QUICK, type ToyWav2ClipTrainOptions } from '../../../src/encoders/toy/toy-wav2clip.js';

export async function useWasm(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
}

export interface TinyWorld {
  dir: string;
  rows: ResolvedManifestRow[];
  cleanup(): void;
}

export async function tinyWorld(perClass = { train: 3, val: 1, test: 1 }, domains?: SonicToyDomain[]): Promise<TinyWorld> {
  const dir = tempDir('toyenc-');
  const { manifestPath } = await generateSonicToy({ outDir: join(dir, 'world'), seed: 3, perClass, ...(domains ? { domains } : {}) });
  return { dir, rows: readManifest(manifestPath), cleanup: () => removeTempDir(dir) };
}

/** The exported quick profiles, shrunk further to a few steps at tiny widths. */
export const QUICK_CLIP: Partial<ToyClipTrainOptions> = {
  ...TOY_CLIP_QUICK,
  steps: 3, batchSize: 16, warmupSteps: 1, jointDim: 16, textWidth: 16, maxTokens: 12, textLayers: 1, textHeads: 2, imageChannels: [8, 16], imageStrides: [2, 2], groups: 4,
};

export const QUICK_CLAP: Partial<ToyClapTrainOptions> = {
  ...TOY_CLAP_QUICK,
  steps: 3, batchSize: 16, warmupSteps: 1, jointDim: 24, textWidth: 16, maxTokens: 12, textLayers: 1, textHeads: 2, audioChannels: [8, 16], audioStrides: [2, 2], groups: 4, nMels: 32,
};

export const QUICK_WAV2CLIP: Partial<ToyWav2ClipTrainOptions> = {
  ...TOY_WAV2CLIP_QUICK,
  steps: 3, batchSize: 16, warmupSteps: 1, audioChannels: [8, 16], audioStrides: [2, 2], groups: 4, nMels: 32,
};

export function norm(v: Float32Array): number {
  return Math.sqrt(v.reduce((a, x) => a + x * x, 0));
}

/** Every parameter's values by name (for determinism and frozen-weight checks). */
export function paramValues(store: ParamStore): Map<string, Float32Array> {
  return new Map(store.names().map((n) => [n, Float32Array.from(store.get(n).dataSync() as Float32Array)]));
}

/** Every parameter of `expected` has exactly its values in `actual`; `message(name)` says what a difference means. */
export function assertSameParams(expected: Map<string, Float32Array>, actual: Map<string, Float32Array>, message: (name: string) => string): void {
  for (const [name, t] of expected) assert.deepEqual(actual.get(name)!, t, message(name));
}
