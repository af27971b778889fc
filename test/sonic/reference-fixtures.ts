// Helpers for tests against the PyTorch reference fixtures in test/fixtures/reference/unet/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '../../src/compute/tfjs.js';
import { SafetensorsFile } from '../../src/compute/safetensors.js';

export { tf };

export const FIXTURE_DIR = fileURLToPath(new URL('../../../test/fixtures/reference/unet/', import.meta.url));

/** The JSON in a fixture file's `fixture` metadata entry. */
export interface FixtureInfo {
  config: Record<string, unknown>;
  param_count: number;
  pnp_qk_sites: string[];
  pnp_resnet_sites: string[];
  adapter_blocks: string[];
  loss: number;
}

export async function useWasm(): Promise<void> {
  assert.ok(await tf.setBackend('wasm'), 'wasm backend failed to initialise');
  await tf.ready();
}

export function openFixture(name: string): SafetensorsFile {
  return new SafetensorsFile(`${FIXTURE_DIR}${name}`);
}

export function readTensor(file: SafetensorsFile, name: string): tf.Tensor {
  const t = file.read(name);
  return tf.tensor(t.data, t.shape);
}

/** A PyTorch NCHW fixture tensor as NHWC. */
export function readNchwAsNhwc(file: SafetensorsFile, name: string): tf.Tensor4D {
  return tf.tidy(() => tf.transpose(readTensor(file, name) as tf.Tensor4D, [0, 2, 3, 1]));
}

/** ‖a−b‖/‖b‖ and max|a−b|/max|b|. */
export function errors(actual: ArrayLike<number>, expected: ArrayLike<number>): { norm: number; maxAbs: number } {
  assert.equal(actual.length, expected.length, `length ${actual.length} vs ${expected.length}`);
  let d2 = 0;
  let b2 = 0;
  let dMax = 0;
  let bMax = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = actual[i]! - expected[i]!;
    d2 += d * d;
    b2 += expected[i]! * expected[i]!;
    dMax = Math.max(dMax, Math.abs(d));
    bMax = Math.max(bMax, Math.abs(expected[i]!));
  }
  return { norm: Math.sqrt(d2) / Math.max(Math.sqrt(b2), 1e-30), maxAbs: dMax / Math.max(bMax, 1e-30) };
}

export function assertMatches(actual: tf.Tensor, expected: tf.Tensor, tol: number, what: string): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  const e = errors(actual.dataSync(), expected.dataSync());
  assert.ok(e.norm <= tol && e.maxAbs <= tol, `${what}: relative error norm ${e.norm.toExponential(2)}, max-abs ${e.maxAbs.toExponential(2)} > ${tol}`);
}

/** diffusers state_dict key -> torch shape of SD-1.4 (UNet with the SonicDiffusion adapters, and VAE). */
export function sd14Shapes(): { unet: Record<string, number[]>; vae: Record<string, number[]> } {
  return JSON.parse(readFileSync(`${FIXTURE_DIR}sd14_shapes.json`, 'utf8')) as { unet: Record<string, number[]>; vae: Record<string, number[]> };
}
