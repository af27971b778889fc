import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { effectiveSeed, seededNormal } from '../../src/compute/seeded-normal.js';

test('seededNormal: seed 0 repeats itself (tf.randomNormal with seed 0 does not); other seeds are exactly tf.randomNormal', async () => {
  await tf.setBackend('cpu');
  const draw = (f: () => tf.Tensor) => tf.tidy(() => [...f().dataSync()]);
  const raw0 = [draw(() => tf.randomNormal([64], 0, 1, 'float32', 0)), draw(() => tf.randomNormal([64], 0, 1, 'float32', 0))];
  assert.notDeepEqual(raw0[0], raw0[1], 'tfjs treats seed 0 as unseeded');
  assert.deepEqual(draw(() => seededNormal([64], 0)), draw(() => seededNormal([64], 0)));
  for (const seed of [1, 42, 0x7fffffff]) assert.deepEqual(draw(() => seededNormal([2, 8], seed)), draw(() => tf.randomNormal([2, 8], 0, 1, 'float32', seed)));
  assert.notEqual(effectiveSeed(0), 0);
  assert.equal(effectiveSeed(7), 7);
});
