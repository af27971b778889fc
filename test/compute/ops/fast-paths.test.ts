// The wasm fast paths (compute/ops/matmul2d.ts, the per-head attention in compute/ops/attention.ts) must
// give the same values and gradients as the plain tfjs formulation with native gradients (on cpu).
import { test } from 'node:test';
import { tf, valuesOn, randomTensor, assertClose } from '../tf-test-utils.js';
import { matMul2d, scaledDotProductAttention } from '../../../src/compute/ops/index.js';
import { perHeadAttention } from '../../../src/compute/ops/attention.js';

test('matMul2d matches tf.matMul forward and gradients (wasm vs cpu native)', async () => {
  const run = (fast: boolean) => () => {
    const a = randomTensor([37, 12], 1) as tf.Tensor2D;
    const b = randomTensor([12, 9], 2) as tf.Tensor2D;
    const r = randomTensor([37, 9], 3);
    const mm = (x: tf.Tensor, y: tf.Tensor) => (fast ? matMul2d(x as tf.Tensor2D, y as tf.Tensor2D) : tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D));
    return [mm(a, b), ...tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(mm(x, y), r)))([a, b])];
  };
  const got = await valuesOn('wasm', run(true));
  const want = await valuesOn('cpu', run(false));
  ['value', 'dA', 'dB'].forEach((what, i) => assertClose(got[i]!, want[i]!, 1e-5, what));
});

// scaledDotProductAttention on wasm (the fused kernels) and the per-head path it falls back to when the wasm
// kernels do not load (the micro bench's baseline); nq ≠ nk and dv ≠ d catch transposed shapes.
for (const [scale, path] of [[undefined, 'scaledDotProductAttention'], [0.37, 'scaledDotProductAttention'], [undefined, 'perHeadAttention'], [0.37, 'perHeadAttention']] as const) {
  test(`${path} on wasm matches the batched formula with native grads (scale ${scale ?? '1/√d'})`, async () => {
    const run = (batched: boolean) => () => {
      const q = randomTensor([2, 3, 80, 8], 11) as tf.Tensor4D;
      const k = randomTensor([2, 3, 70, 8], 12) as tf.Tensor4D;
      const v = randomTensor([2, 3, 70, 5], 13) as tf.Tensor4D;
      const r = randomTensor([2, 3, 80, 5], 14);
      const s = scale ?? 1 / Math.sqrt(8);
      const attn = (qi: tf.Tensor, ki: tf.Tensor, vi: tf.Tensor): tf.Tensor =>
        batched
          ? tf.matMul(tf.softmax(tf.matMul(tf.mul(qi, s), ki, false, true)), vi)
          : path === 'perHeadAttention'
            ? perHeadAttention(qi as tf.Tensor4D, ki as tf.Tensor4D, vi as tf.Tensor4D, scale ?? 1 / Math.sqrt(8))
            : scaledDotProductAttention(qi as tf.Tensor4D, ki as tf.Tensor4D, vi as tf.Tensor4D, scale === undefined ? {} : { scale });
      return [attn(q, k, v), ...tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(attn(a, b, c), r)))([q, k, v])];
    };
    const got = await valuesOn('wasm', run(false));
    const want = await valuesOn('cpu', run(true));
    ['value', 'dQ', 'dK', 'dV'].forEach((what, i) => assertClose(got[i]!, want[i]!, 1e-5, what));
  });
}
