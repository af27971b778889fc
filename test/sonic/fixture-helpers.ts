// Shared by the method tests: wasm backend, fixture loading, relative-error comparison.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '../../src/compute/tfjs.js';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { SafetensorsFile } from '../../src/compute/safetensors.js';
import { TINY_PROJECTOR, type AudioProjectorConfig } from '../../src/sonic/projector/projector-config.js';

/** The reduced official architecture of tools/reference/make_method_fixtures.py. */
export const FIXTURE_PROJECTOR: AudioProjectorConfig = TINY_PROJECTOR;

export async function useWasm(): Promise<void> {
  const ok = await tf.setBackend('wasm');
  assert.ok(ok, 'wasm backend failed to initialise');
}

// dist/test/sonic -> <repo>/test/fixtures/reference/method
export const METHOD_FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..', 'test', 'fixtures', 'reference', 'method');

export function openFixture(name: string): SafetensorsFile {
  return new SafetensorsFile(join(METHOD_FIXTURES, name));
}

export function fixtureTensor(f: SafetensorsFile, key: string): tf.Tensor {
  const h = f.read(key);
  return tf.tensor(h.data, h.shape);
}

/** max|a − b| / max|b| (b is the reference). */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  assert.equal(actual.length, expected.length, 'length mismatch');
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}

export function assertClose(actual: tf.Tensor, expected: tf.Tensor, tol: number, what: string): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  const err = relativeError(actual.dataSync(), expected.dataSync());
  assert.ok(err <= tol, `${what}: relative error ${err.toExponential(3)} > ${tol}`);
}
