// Shared helpers for tfjs tests: backend switching and relative-error comparison.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '../../src/compute/tfjs.js';
import { useSharedIdentityOnWasm } from '../../src/compute/wasm-identity.js';
import assert from 'node:assert/strict';

export { tf };

/** Switches backend; on wasm with the kernels selectBackend installs (the zero-copy Identity). */
export async function useBackend(name: 'wasm' | 'cpu'): Promise<void> {
  if (name === 'wasm') useSharedIdentityOnWasm();
  const ok = await tf.setBackend(name);
  assert.ok(ok, `backend ${name} failed to initialise`);
  await tf.ready();
}

/** max|a−b| / max(max|b|, tiny): a relative error that is robust to elements near zero. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, `length ${a.length} vs ${b.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / Math.max(scale, 1e-12);
}

export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  const e = relErr(actual, expected);
  assert.ok(e <= tol, `${what}: relative error ${e.toExponential(2)} > ${tol}`);
}

/** Deterministic pseudo-random tensor data (mulberry32), identical on every backend. */
export function randomData(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

export function randomTensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(randomData(shape.reduce((a, b) => a * b, 1), seed), shape);
}

/** Runs fn on a backend and returns the values of every tensor it returns as plain arrays. */
export async function valuesOn(backend: 'wasm' | 'cpu', fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  await useBackend(backend);
  const outs = tf.tidy(fn);
  const vals = outs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outs);
  return vals;
}

/** A path under the repository root, from a compiled test file in dist/test/**. */
export function repoPath(relative: string): string {
  const here = new URL(import.meta.url).pathname; // dist/test/compute/tf-test-utils.js
  return new URL(`../../../${relative}`, `file://${here}`).pathname;
}
