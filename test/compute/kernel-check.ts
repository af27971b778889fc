// Runs the same differentiable function on the cpu backend (the reference formulation) and on a backend with
// the project's own kernels (WGSL on webgpu, the WebAssembly module on wasm), and compares values and
// gradients with respect to every input.
import assert from 'node:assert/strict';
import { tf, assertClose, randomData, useBackend } from './tf-test-utils.js';
import { profileKernels } from '../../src/compute/kernel-profile.js';
import { useWebGpu } from './webgpu/webgpu-gate.js';

export const TOL = 1e-4;

export type KernelBackend = 'wasm' | 'webgpu';
type Fn = (...xs: tf.Tensor[]) => tf.Tensor;

async function use(backend: KernelBackend): Promise<void> {
  if (backend === 'webgpu') await useWebGpu();
  else await useBackend(backend);
}

async function valuesAndGrads(fn: Fn, inputs: Float32Array[], shapes: number[][], seed: number): Promise<Float32Array[]> {
  const before = tf.memory().numTensors;
  const out = tf.tidy(() => {
    const xs = inputs.map((data, i) => tf.tensor(data, shapes[i]));
    const y = fn(...xs);
    const w = tf.tensor(randomData(y.size, seed), y.shape);
    const grads = tf.grads((...args: tf.Tensor[]) => tf.sum(tf.mul(fn(...args), w)))(xs);
    return [y, ...grads];
  });
  const values = await Promise.all(out.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose(out);
  assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  return values;
}

/** Asserts fn on `backend` matches fn on cpu (value and every input's gradient) within TOL. */
export async function checkAgainstCpu(backend: KernelBackend, what: string, fn: Fn, shapes: number[][], seed = 1): Promise<void> {
  const inputs = shapes.map((s, i) => randomData(s.reduce((a, b) => a * b, 1), seed * 100 + i));
  await useBackend('cpu');
  const expected = await valuesAndGrads(fn, inputs, shapes, seed + 7);
  await use(backend);
  const actual = await valuesAndGrads(fn, inputs, shapes, seed + 7);
  await useBackend('cpu');
  assertClose(actual[0]!, expected[0]!, TOL, `${what}: value`);
  for (let i = 1; i < expected.length; i++) assertClose(actual[i]!, expected[i]!, TOL, `${what}: gradient of input ${i - 1}`);
}

/** The kernel names a forward + backward pass of fn runs on `backend`. */
export async function kernelsOn(backend: KernelBackend, fn: Fn, shapes: number[][]): Promise<Set<string>> {
  await use(backend);
  const { profile } = await profileKernels(() =>
    tf.tidy(() => {
      const xs = shapes.map((s, i) => tf.tensor(randomData(s.reduce((a, b) => a * b, 1), i + 1), s));
      return tf.grads((...args: tf.Tensor[]) => tf.sum(fn(...args)))(xs);
    }),
  );
  await useBackend('cpu');
  assert.equal(profile.backend, backend);
  return new Set(profile.kernels.map((k) => k.name));
}
