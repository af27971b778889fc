import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '../../src/compute/tfjs.js';

test('importing compute/tfjs registers tfjs-core gradients and chained ops in Node', async () => {
  await tf.setBackend('wasm');
  for (const kernel of ['Sum', 'BatchMatMul', 'Conv2D', 'Softmax', 'Erf', 'PadV2', 'Transpose']) assert.ok(tf.getGradient(kernel), `no gradient for ${kernel}`);
  const x = tf.tensor1d([1, 2, 3]);
  const g = tf.grad((a: tf.Tensor) => a.square().sum())(x);
  assert.deepEqual([...g.dataSync()], [2, 4, 6]);
  assert.deepEqual([...x.add(1).dataSync()], [2, 3, 4]);
});
