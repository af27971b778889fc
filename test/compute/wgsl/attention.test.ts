// Fused flash attention (WGSL, webgpu) against the composed matMul/softmax formulation on cpu.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../tf-test-utils.js';
import { scaledDotProductAttention } from '../../../src/compute/ops/index.js';
import { checkAgainstCpu, kernelsOn } from '../kernel-check.js';
import { webgpuSkipReason } from '../webgpu/webgpu-gate.js';

const skip = await webgpuSkipReason();

const attention = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor): tf.Tensor => scaledDotProductAttention(q as tf.Tensor4D, k as tf.Tensor4D, v as tf.Tensor4D);

// [batch, heads, Nq, Nk, d, dv]: odd sizes; Nq and Nk past one 64-row workgroup and one key tile; dv ≠ d.
const SHAPES: Array<[number, number, number, number, number, number]> = [
  [1, 1, 1, 1, 1, 1],
  [1, 2, 5, 7, 3, 4],
  [2, 3, 70, 33, 8, 5],
  [1, 1, 9, 70, 40, 24],
];

for (const [b, h, nq, nk, d, dv] of SHAPES) {
  test(`flash attention matches cpu: values and dq, dk, dv at [${b}, ${h}] heads, Nq ${nq}, Nk ${nk}, d ${d}, dv ${dv}`, { skip }, async () => {
    await checkAgainstCpu('webgpu', `attention ${[b, h, nq, nk, d, dv]}`, attention, [
      [b, h, nq, d],
      [b, h, nk, d],
      [b, h, nk, dv],
    ]);
  });
}

test('an explicit scale reaches the kernel', { skip }, async () => {
  const scaled = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor): tf.Tensor =>
    scaledDotProductAttention(q as tf.Tensor4D, k as tf.Tensor4D, v as tf.Tensor4D, { scale: 2.5 });
  await checkAgainstCpu('webgpu', 'attention scale 2.5', scaled, [[1, 2, 6, 4], [1, 2, 11, 4], [1, 2, 11, 3]], 3);
});

test('on webgpu attention runs the fused kernels, not a score matrix and softmax', { skip }, async () => {
  const names = await kernelsOn('webgpu', attention, [[2, 2, 17, 4], [2, 2, 9, 4], [2, 2, 9, 6]]);
  for (const kernel of ['SonicFlashAttention', 'SonicFlashAttentionGradQ', 'SonicFlashAttentionGradKV']) assert.ok(names.has(kernel), `${kernel} did not run (ran: ${[...names]})`);
  for (const kernel of ['Softmax', 'BatchMatMul', 'Exp']) assert.ok(!names.has(kernel), `${kernel} ran`);
});

test('attention with a bias keeps the composed path on webgpu and matches cpu', { skip }, async () => {
  const biased = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, bias: tf.Tensor): tf.Tensor =>
    scaledDotProductAttention(q as tf.Tensor4D, k as tf.Tensor4D, v as tf.Tensor4D, { bias });
  await checkAgainstCpu('webgpu', 'attention with bias', biased, [[1, 2, 5, 4], [1, 2, 6, 4], [1, 2, 6, 4], [1, 1, 5, 6]], 5);
});
