// The zero-copy Identity on wasm (src/compute/wasm-identity.ts): clones share the buffer and hold a
// reference, values survive disposing either side, gradients through saved tensors are unchanged, and
// nothing leaks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, useBackend, valuesOn, randomTensor, assertClose } from './tf-test-utils.js';
import { conv2d } from '../../src/compute/ops/index.js';

interface RefCounts {
  refCount(dataId: tf.DataId): number;
}

test('a clone on wasm shares its source buffer and keeps it alive after the source is disposed', async () => {
  await useBackend('wasm');
  const before = tf.memory().numDataBuffers;
  const x = tf.tensor1d([1, 2, 3, 4]);
  const y = tf.clone(x);
  const backend = tf.backend() as unknown as RefCounts;
  assert.equal(backend.refCount(x.dataId), 2, 'the clone took a reference instead of copying');
  assert.equal(tf.memory().numDataBuffers, before + 1, 'one buffer for both tensors');
  x.dispose();
  assert.deepEqual(Array.from(y.dataSync()), [1, 2, 3, 4]);
  y.dispose();
  assert.equal(tf.memory().numDataBuffers, before);
});

test('gradients through ops whose inputs tfjs saves are unchanged on wasm, and no tensor leaks', async () => {
  const run = () => {
    const x = randomTensor([2, 6, 6, 3], 1) as tf.Tensor4D;
    const w = randomTensor([3, 3, 3, 4], 2) as tf.Tensor4D;
    const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.sigmoid(conv2d(tf.mul(a, 2) as tf.Tensor4D, b as tf.Tensor4D, { padding: 1 }))));
    return tf.grads(f)([x, w]);
  };
  await useBackend('wasm');
  const tensors = tf.memory().numTensors;
  const got = await valuesOn('wasm', run);
  assert.equal(tf.memory().numTensors, tensors);
  const want = await valuesOn('cpu', run);
  ['dx', 'dw'].forEach((what, i) => assertClose(got[i]!, want[i]!, 1e-5, what));
});
