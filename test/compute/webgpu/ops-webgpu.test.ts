// The ops the method is built from give the cpu backend's values on webgpu (fp32; SwiftShader here). Loss
// weights are random tensors, not sin/cos of large arguments: GPU transcendentals are approximate there.
// matmul, conv2d forward and gradients (strided, padded), attention, group norm and its gradients.
import { test } from 'node:test';
import { tf, assertClose, randomTensor } from '../tf-test-utils.js';
import * as ops from '../../../src/compute/ops/index.js';
import { valuesOnAsync, webgpuSkipReason } from './webgpu-gate.js';

const skip = await webgpuSkipReason();
const TOL = 1e-4;

async function sameOnWebGpuAndCpu(what: string, fn: () => tf.Tensor[]): Promise<void> {
  const gpu = await valuesOnAsync('webgpu', fn);
  const cpu = await valuesOnAsync('cpu', fn);
  gpu.forEach((values, i) => assertClose(values, cpu[i]!, TOL, `${what} [output ${i}]`));
}

test('batched matmul and linear', { skip }, async () => {
  await sameOnWebGpuAndCpu('matmul', () => [
    ops.matMul(randomTensor([3, 17, 40], 1) as tf.Tensor3D, randomTensor([3, 40, 23], 2) as tf.Tensor3D),
    ops.linear(randomTensor([2, 9, 40], 3) as tf.Tensor3D, randomTensor([40, 12], 4) as tf.Tensor2D, randomTensor([12], 5) as tf.Tensor1D),
  ]);
});

test('conv2d forward and gradients (3×3 padded, 3×3 stride 2, 1×1)', { skip }, async () => {
  const x = () => randomTensor([2, 9, 9, 6], 11) as tf.Tensor4D;
  for (const [k, stride] of [
    [3, 1],
    [3, 2],
    [1, 1],
  ] as const) {
    await sameOnWebGpuAndCpu(`conv2d ${k}×${k} stride ${stride}`, () => {
      const w = randomTensor([k, k, 6, 5], 12) as tf.Tensor4D;
      const f = (xi: tf.Tensor, wi: tf.Tensor) => {
        const y = ops.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, { stride, padding: k === 3 ? 1 : 0 });
        return tf.sum(tf.mul(y, randomTensor(y.shape, 13)));
      };
      const [dx, dw] = tf.grads(f)([x(), w]);
      return [ops.conv2d(x(), w, { stride, padding: k === 3 ? 1 : 0 }), dx!, dw!];
    });
  }
});

test('scaled dot-product attention (self and cross) and its input gradients', { skip }, async () => {
  await sameOnWebGpuAndCpu('attention', () => {
    const q = randomTensor([2, 4, 16, 8], 21) as tf.Tensor4D;
    const k = randomTensor([2, 4, 7, 8], 22) as tf.Tensor4D;
    const v = randomTensor([2, 4, 7, 8], 23) as tf.Tensor4D;
    const self = ops.scaledDotProductAttention(q, q, q);
    const [dq, dk, dv] = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      tf.sum(tf.square(ops.scaledDotProductAttention(a as tf.Tensor4D, b as tf.Tensor4D, c as tf.Tensor4D))),
    )([q, k, v]);
    return [self, ops.scaledDotProductAttention(q, k, v), dq!, dk!, dv!];
  });
});

test('group norm forward and gradients', { skip }, async () => {
  await sameOnWebGpuAndCpu('groupNorm', () => {
    const x = tf.mul(randomTensor([2, 5, 5, 16], 31), 3) as tf.Tensor4D;
    const gamma = randomTensor([16], 32) as tf.Tensor1D;
    const beta = randomTensor([16], 33) as tf.Tensor1D;
    const [dx, dg, db] = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(ops.groupNorm(a as tf.Tensor4D, 4, g as tf.Tensor1D, b as tf.Tensor1D), randomTensor(a.shape, 34))),
    )([x, gamma, beta]);
    return [ops.groupNorm(x, 4, gamma, beta), dx!, dg!, db!];
  });
});
