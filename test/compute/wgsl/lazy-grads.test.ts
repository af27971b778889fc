// On webgpu each input's gradient kernel runs only when backprop needs that input's gradient (lazy-grad.ts):
// a frozen conv filter costs no filter-gradient kernel, fixed γ/β no parameter-gradient kernel, a fixed
// attention context no dK/dV kernel; kernels shared by two gradients (dK and dV) run once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, randomData, useBackend } from '../tf-test-utils.js';
import { conv2d, groupNorm, scaledDotProductAttention } from '../../../src/compute/ops/index.js';
import { profileKernels } from '../../../src/compute/kernel-profile.js';
import { useWebGpu, webgpuSkipReason } from '../webgpu/webgpu-gate.js';

const skip = await webgpuSkipReason();

type Fn = (...xs: tf.Tensor[]) => tf.Tensor;

/** Kernel call counts of Σ fn(xs)² and its gradient with respect to the inputs listed in `wrt`, on webgpu. */
async function callsDifferentiating(fn: Fn, shapes: number[][], wrt: number[]): Promise<Map<string, number>> {
  await useWebGpu();
  const xs = shapes.map((s, i) => tf.tensor(randomData(s.reduce((a, b) => a * b, 1), i + 1), s));
  const { profile, result } = await profileKernels(() =>
    tf.tidy(() => {
      const loss = (...picked: tf.Tensor[]) => tf.sum(tf.square(fn(...xs.map((x, i) => (wrt.includes(i) ? picked[wrt.indexOf(i)]! : x)))));
      return tf.grads(loss)(wrt.map((i) => xs[i]!));
    }),
  );
  tf.dispose([...result, ...xs]);
  await useBackend('cpu');
  return new Map(profile.kernels.map((k) => [k.name, k.calls]));
}

function assertCalls(calls: Map<string, number>, expected: Record<string, number>, what: string): void {
  for (const [kernel, n] of Object.entries(expected)) assert.equal(calls.get(kernel) ?? 0, n, `${what}: ${kernel} calls`);
}

test('conv2d on webgpu: the filter-gradient kernel runs only for a trainable filter, the input-gradient kernel only for a differentiated input', { skip }, async () => {
  const fn: Fn = (x, w) => conv2d(x as tf.Tensor4D, w as tf.Tensor4D, { stride: 2, padding: 1 });
  const shapes = [[1, 7, 6, 3], [3, 3, 3, 4]];
  assertCalls(await callsDifferentiating(fn, shapes, [0]), { SonicConv2DInputGrad: 1, SonicConv2DFilterGrad: 0 }, 'x only');
  assertCalls(await callsDifferentiating(fn, shapes, [1]), { SonicConv2DInputGrad: 0, SonicConv2DFilterGrad: 1 }, 'w only');
});

test('groupNorm on webgpu: fixed γ and β cost no parameter-gradient kernel; γ and β share one', { skip }, async () => {
  const fn: Fn = (x, g, b) => groupNorm(x!, 2, g as tf.Tensor1D, b as tf.Tensor1D);
  const shapes = [[2, 4, 4, 8], [8], [8]];
  assertCalls(await callsDifferentiating(fn, shapes, [0]), { SonicGroupNormGradInput: 1, SonicGroupNormGradParams: 0 }, 'x only');
  assertCalls(await callsDifferentiating(fn, shapes, [1, 2]), { SonicGroupNormGradInput: 0, SonicGroupNormGradSums: 0, SonicGroupNormGradParams: 1 }, 'γ and β');
});

test('attention on webgpu: a fixed context costs no dK/dV kernel; dK and dV share one', { skip }, async () => {
  const fn: Fn = (q, k, v) => scaledDotProductAttention(q as tf.Tensor4D, k as tf.Tensor4D, v as tf.Tensor4D);
  const shapes = [[1, 2, 9, 4], [1, 2, 7, 4], [1, 2, 7, 3]];
  assertCalls(await callsDifferentiating(fn, shapes, [0]), { SonicFlashAttentionGradQ: 1, SonicFlashAttentionGradKV: 0 }, 'q only');
  assertCalls(await callsDifferentiating(fn, shapes, [1, 2]), { SonicFlashAttentionGradQ: 0, SonicFlashAttentionGradKV: 1 }, 'k and v');
});
