// Runs the same differentiable function on the cpu backend (the reference formulation) and on webgpu (the
// WGSL kernels), and compares values and gradients with respect to every input.
import assert from 'node:assert/strict';
import { tf, assertClose, randomData, useBackend } from '../tf-test-utils.js';
import { profileKernels } from '../../../src/compute/kernel-profile.js';
import { useWebGpu } from '../webgpu/webgpu-gate.js';

export const TOL = 1e-4;

type Fn = (...xs: tf.Tensor[]) => tf.Tensor;

async function valuesAndGrads(fn: Fn, inputs: Float32Array[], shapes: number[][], seed: number): Promise<Float32Array[]> {
  const out = tf.tidy(() => {
    const xs = inputs.map((data, i) => tf.tensor(data, shapes[i]));
    const y = fn(...xs);
    const w = tf.tensor(randomData(y.size, seed), y.shape);
    const grads = tf.grads((...args: tf.Tensor[]) => tf.sum(tf.mul(fn(...args), w)))(xs);
    return [y, ...grads];
  });
  const values = await Promise.all(out.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose(out);
  return values;
}

/** Asserts fn on webgpu matches fn on cpu (value and every input's gradient) within TOL. */
export async function checkAgainstCpu(what: string, fn: Fn, shapes: number[][], seed = 1): Promise<void> {
  const inputs = shapes.map((s, i) => randomData(s.reduce((a, b) => a * b, 1), seed * 100 + i));
  await useBackend('cpu');
  const expected = await valuesAndGrads(fn, inputs, shapes, seed + 7);
  await useWebGpu();
  const actual = await valuesAndGrads(fn, inputs, shapes, seed + 7);
  await useBackend('cpu');
  assertClose(actual[0]!, expected[0]!, TOL, `${what}: value`);
  for (let i = 1; i < expected.length; i++) assertClose(actual[i]!, expected[i]!, TOL, `${what}: gradient of input ${i - 1}`);
}

/** The kernel names a forward + backward pass of fn runs on webgpu. */
export async function kernelsOnWebGpu(fn: Fn, shapes: number[][]): Promise<Set<string>> {
  await useWebGpu();
  const { profile } = await profileKernels(() =>
    tf.tidy(() => {
      const xs = shapes.map((s, i) => tf.tensor(randomData(s.reduce((a, b) => a * b, 1), i + 1), s));
      return tf.grads((...args: tf.Tensor[]) => tf.sum(fn(...args)))(xs);
    }),
  );
  await useBackend('cpu');
  assert.equal(profile.backend, 'webgpu');
  return new Set(profile.kernels.map((k) => k.name));
}
