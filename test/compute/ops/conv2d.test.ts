import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, valuesOn, randomTensor, assertClose, useBackend } from '../tf-test-utils.js';
import { conv2d, type Conv2dPadding } from '../../../src/compute/ops/index.js';
import { resolvePadding2d } from '../../../src/compute/ops/padding.js';

interface Case {
  x: [number, number, number, number];
  k: number;
  cout: number;
  stride: number;
  padding: Conv2dPadding;
}

const cases: Case[] = [
  { x: [2, 5, 6, 3], k: 3, cout: 4, stride: 1, padding: 1 },
  { x: [2, 7, 5, 3], k: 3, cout: 2, stride: 2, padding: 1 },
  { x: [1, 8, 8, 4], k: 3, cout: 3, stride: 2, padding: [[0, 1], [0, 1]] },
  { x: [2, 5, 5, 3], k: 1, cout: 4, stride: 1, padding: 0 },
  { x: [2, 7, 7, 2], k: 1, cout: 3, stride: 2, padding: 0 },
  { x: [1, 9, 6, 2], k: 5, cout: 2, stride: 2, padding: 'same' },
  { x: [1, 6, 6, 2], k: 3, cout: 2, stride: 1, padding: 'valid' },
];

function reference(c: Case, x: tf.Tensor4D, w: tf.Tensor4D, r: tf.Tensor4D): tf.Tensor[] {
  const pad = resolvePadding2d(c.padding, [c.x[1], c.x[2]], [c.k, c.k], [c.stride, c.stride]);
  const f = (xi: tf.Tensor, wi: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(tf.pad(xi as tf.Tensor4D, [[0, 0], pad[0], pad[1], [0, 0]]), wi as tf.Tensor4D, c.stride, 'valid'), r));
  const y = tf.conv2d(tf.pad(x, [[0, 0], pad[0], pad[1], [0, 0]]), w, c.stride, 'valid');
  return [y, ...tf.grads(f)([x, w])];
}

for (const c of cases) {
  test(`conv2d k=${c.k} stride=${c.stride} padding=${JSON.stringify(c.padding)} x=[${c.x}] matches cpu native fwd and grads on wasm`, async () => {
    const setup = () => {
      const x = randomTensor(c.x, 1) as tf.Tensor4D;
      const w = randomTensor([c.k, c.k, c.x[3], c.cout], 2) as tf.Tensor4D;
      const b = randomTensor([c.cout], 4) as tf.Tensor1D;
      const yShape = tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, w, c.stride, c.padding === 'same' ? 'same' : 'valid').shape;
      return { x, w, b, yShape };
    };
    const expected = await valuesOn('cpu', () => {
      const { x, w } = setup();
      const y = reference(c, x, w, tf.zeros([1, 1, 1, 1]) as tf.Tensor4D)[0]!;
      const r = randomTensor(y.shape, 3) as tf.Tensor4D;
      return reference(c, x, w, r);
    });
    const actual = await valuesOn('wasm', () => {
      const { x, w } = setup();
      const y = conv2d(x, w, { stride: c.stride, padding: c.padding });
      const r = randomTensor(y.shape, 3);
      const g = tf.grads((xi: tf.Tensor, wi: tf.Tensor) => tf.sum(tf.mul(conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, { stride: c.stride, padding: c.padding }), r)))([x, w]);
      return [y, ...g];
    });
    assertClose(actual[0]!, expected[0]!, 1e-4, 'forward');
    assertClose(actual[1]!, expected[1]!, 1e-3, 'dX');
    assertClose(actual[2]!, expected[2]!, 1e-3, 'dW');
  });
}

test('conv2d adds the bias per output channel and gets its gradient', async () => {
  await useBackend('wasm');
  const x = randomTensor([1, 4, 4, 2], 5) as tf.Tensor4D;
  const w = randomTensor([3, 3, 2, 3], 6) as tf.Tensor4D;
  const b = tf.tensor1d([1, -2, 3]);
  const y = conv2d(x, w, { padding: 1, bias: b });
  const y0 = conv2d(x, w, { padding: 1 });
  assertClose(tf.sub(y, y0).dataSync(), new Float32Array(48).map((_, i) => [1, -2, 3][i % 3]!), 1e-5, 'bias add');
  const gb = tf.grad((bi: tf.Tensor) => tf.sum(conv2d(x, w, { padding: 1, bias: bi as tf.Tensor1D })))(b);
  assert.deepEqual([...gb.dataSync()], [16, 16, 16]);
});

test('conv2d rejects a channel mismatch and a kernel larger than the padded input', async () => {
  await useBackend('wasm');
  assert.throws(() => conv2d(tf.zeros([1, 4, 4, 2]) as tf.Tensor4D, tf.zeros([3, 3, 3, 1]) as tf.Tensor4D), /2 channels but the filter \[3,3,3,1\] expects 3/);
  assert.throws(() => conv2d(tf.zeros([1, 2, 2, 1]) as tf.Tensor4D, tf.zeros([3, 3, 1, 1]) as tf.Tensor4D), /smaller than the 3×3 kernel/);
});
