// Runs the same differentiable function on the cpu backend (today's composed formulation) and on wasm (the
// project's wasm kernels), and compares values and gradients with respect to every input.
import assert from 'node:assert/strict';
import { tf, assertClose, randomData, useBackend } from '../tf-test-utils.js';
import { profileKernels } from '../../../src/compute/kernel-profile.js';

export const TOL = 1e-4;

type Fn = (...xs: tf.Tensor[]) => tf.Tensor;

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

/** Asserts fn on wasm matches fn on cpu (value and every input's gradient) within TOL. */
export async function checkWasmAgainstCpu(what: string, fn: Fn, shapes: number[][], seed = 1): Promise<void> {
  const inputs = shapes.map((s, i) => randomData(s.reduce((a, b) => a * b, 1), seed * 100 + i));
  await useBackend('cpu');
  const expected = await valuesAndGrads(fn, inputs, shapes, seed + 7);
  await useBackend('wasm');
  const actual = await valuesAndGrads(fn, inputs, shapes, seed + 7);
  await useBackend('cpu');
  assertClose(actual[0]!, expected[0]!, TOL, `${what}: value`);
  for (let i = 1; i < expected.length; i++) assertClose(actual[i]!, expected[i]!, TOL, `${what}: gradient of input ${i - 1}`);
}

/** The kernel names a forward + backward pass of fn runs on wasm. */
export async function kernelsOnWasm(fn: Fn, shapes: number[][]): Promise<Set<string>> {
  await useBackend('wasm');
  const { profile } = await profileKernels(() =>
    tf.tidy(() => {
      const xs = shapes.map((s, i) => tf.tensor(randomData(s.reduce((a, b) => a * b, 1), i + 1), s));
      return tf.grads((...args: tf.Tensor[]) => tf.sum(fn(...args)))(xs);
    }),
  );
  await useBackend('cpu');
  assert.equal(profile.backend, 'wasm');
  return new Set(profile.kernels.map((k) => k.name));
}
