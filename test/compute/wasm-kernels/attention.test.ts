// Fused attention (the project's wasm module) against the composed matMul/softmax formulation on cpu.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, assertClose, randomData, useBackend } from '../tf-test-utils.js';
import { scaledDotProductAttention, usesFusedAttention } from '../../../src/compute/ops/index.js';
import { assertNoCpuFallback, profileKernels } from '../../../src/compute/kernel-profile.js';
import { checkAgainstCpu, kernelsOn } from '../kernel-check.js';

const attention = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor): tf.Tensor => scaledDotProductAttention(q as tf.Tensor4D, k as tf.Tensor4D, v as tf.Tensor4D);

// [batch, heads, Nq, Nk, d, dv]: odd sizes off the 4-row query block, the 8-key SIMD group and the 128-key
// tile; several tiles with a ragged last one; Nq ≠ Nk; dv ≠ d; the UNet's d = 8 at 1024 tokens.
const SHAPES: Array<[number, number, number, number, number, number]> = [
  [1, 1, 1, 1, 1, 1],
  [1, 2, 5, 7, 3, 4],
  [2, 3, 70, 33, 8, 5],
  [1, 1, 9, 270, 40, 24],
  [1, 2, 131, 77, 8, 8],
  [1, 1, 300, 300, 8, 8],
];

for (const [b, h, nq, nk, d, dv] of SHAPES) {
  test(`wasm fused attention matches cpu: values and dq, dk, dv at [${b}, ${h}] heads, Nq ${nq}, Nk ${nk}, d ${d}, dv ${dv}`, async () => {
    await checkAgainstCpu('wasm', `attention ${[b, h, nq, nk, d, dv]}`, attention, [
      [b, h, nq, d],
      [b, h, nk, d],
      [b, h, nk, dv],
    ]);
  });
}

test('an explicit scale reaches the wasm kernel', async () => {
  const scaled = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor): tf.Tensor =>
    scaledDotProductAttention(q as tf.Tensor4D, k as tf.Tensor4D, v as tf.Tensor4D, { scale: 2.5 });
  await checkAgainstCpu('wasm', 'attention scale 2.5', scaled, [[1, 2, 6, 4], [1, 2, 11, 4], [1, 2, 11, 3]], 3);
});

test('large scores (a peaked softmax) stay exact: the online maximum rescales earlier tiles', async () => {
  const sharp = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor): tf.Tensor =>
    scaledDotProductAttention(q as tf.Tensor4D, k as tf.Tensor4D, v as tf.Tensor4D, { scale: 40 });
  await checkAgainstCpu('wasm', 'attention scale 40', sharp, [[1, 1, 6, 8], [1, 1, 300, 8], [1, 1, 300, 5]], 4);
});

test('on wasm attention runs the fused kernels, not a score matrix and softmax', async () => {
  const names = await kernelsOn('wasm', attention, [[2, 2, 17, 4], [2, 2, 90, 4], [2, 2, 90, 6]]);
  for (const kernel of ['SonicWasmAttention', 'SonicWasmAttentionGrad']) assert.ok(names.has(kernel), `${kernel} did not run (ran: ${[...names]})`);
  for (const kernel of ['Softmax', 'BatchMatMul', 'Exp']) assert.ok(!names.has(kernel), `${kernel} ran`);
});

test('the wasm kernels count as the backend own kernels, not fallbacks', async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  assert.ok(usesFusedAttention());
  const { profile } = await profileKernels(() =>
    tf.tidy(() => {
      const x = tf.ones([1, 2, 9, 4]);
      return tf.grads((q: tf.Tensor) => tf.sum(attention(q, x, x)))([x]);
    }),
  );
  assertNoCpuFallback(profile);
  await tf.setBackend('cpu');
});

test('attention with a bias keeps the composed path on wasm and matches cpu', async () => {
  const biased = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, bias: tf.Tensor): tf.Tensor =>
    scaledDotProductAttention(q as tf.Tensor4D, k as tf.Tensor4D, v as tf.Tensor4D, { bias });
  assert.ok(!usesFusedAttention({ bias: tf.zeros([1]) }));
  await checkAgainstCpu('wasm', 'attention with bias', biased, [[1, 2, 5, 4], [1, 2, 6, 4], [1, 2, 6, 4], [1, 1, 5, 6]], 5);
});

test('without a gradient tape (sampling) the fused kernel runs at every size, and its values match cpu at UNet shapes', async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  const forwardKernels = async (nq: number, nk: number): Promise<Set<string>> => {
    const { profile, result } = await profileKernels(() => tf.tidy(() => attention(tf.ones([1, 2, nq, 4]), tf.ones([1, 2, nk, 4]), tf.ones([1, 2, nk, 4]))));
    result.dispose();
    return new Set(profile.kernels.map((k) => k.name));
  };
  for (const [nq, nk] of [[5, 7], [130, 128], [1024, 77]]) {
    const names = await forwardKernels(nq, nk);
    assert.ok(names.has('SonicWasmAttention'), `a ${nq}×${nk} forward pass did not run the fused kernel`);
    for (const kernel of ['Softmax', 'BatchMatMul']) assert.ok(!names.has(kernel), `${kernel} ran in a ${nq}×${nk} forward pass`);
  }
  await tf.setBackend('cpu');
  // [batch, heads, Nq, Nk, d, dv]: small's 32² self-attention, mid's 16² cross-attention (77 tokens), mid's
  // 4² blocks (d = 20).
  for (const [b, h, nq, nk, d, dv] of [[1, 2, 1024, 1024, 8, 8], [2, 2, 256, 77, 8, 8], [2, 4, 16, 77, 20, 20], [1, 3, 16, 16, 20, 20]]) {
    const shapes = [[b!, h!, nq!, d!], [b!, h!, nk!, d!], [b!, h!, nk!, dv!]];
    const inputs = shapes.map((s, i) => randomData(s.reduce((x, y) => x * y, 1), 40 + i));
    const forward = async (backend: 'cpu' | 'wasm'): Promise<Float32Array> => {
      await useBackend(backend);
      const y = tf.tidy(() => attention(...(inputs.map((x, i) => tf.tensor(x, shapes[i])) as [tf.Tensor, tf.Tensor, tf.Tensor])));
      const values = (await y.data()) as Float32Array;
      y.dispose();
      return values;
    };
    assertClose(await forward('wasm'), await forward('cpu'), 1e-4, `no-tape forward ${[b, h, nq, nk, d, dv]}`);
  }
  await useBackend('cpu');
});

test('rows whose score bound is far above their real scores (large, nearly orthogonal q and k) fall back to the online softmax and stay exact', async () => {
  // q ≈ 20·e1 and k ≈ 20·e2 plus noise: |q|·|k|·scale is about 140 while the scores are about ten, so the
  // bound-relative probabilities would all sit at the 2^−126 floor; the kernel must notice and recompute.
  const offset = (shape: number[], axis: number): tf.Tensor => tf.tidy(() => tf.mul(tf.oneHot(tf.fill(shape.slice(0, -1), axis, 'int32'), shape[3]!), 20));
  const loose = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor): tf.Tensor =>
    tf.tidy(() => attention(tf.add(q, offset(q.shape, 0)), tf.add(k, offset(k.shape, 1)), v));
  await checkAgainstCpu('wasm', 'attention, loose score bound', loose, [[1, 2, 9, 8], [1, 2, 140, 8], [1, 2, 140, 6]], 6);
});
