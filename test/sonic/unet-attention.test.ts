import { test, before } from 'node:test';
import { scaledDotProductAttention } from '../../src/compute/ops/index.js';
import { chunkedAttention } from '../../src/sonic/unet/attention.js';
import { assertMatches, tf, useWasm } from './reference-fixtures.js';

before(useWasm);

test('query-chunked attention equals one-shot attention, values and gradients', () => {
  tf.tidy(() => {
    const q = tf.randomNormal([2, 3, 37, 4], 0, 1, 'float32', 1) as tf.Tensor4D;
    const k = tf.randomNormal([2, 3, 11, 4], 0, 1, 'float32', 2) as tf.Tensor4D;
    const v = tf.randomNormal([2, 3, 11, 4], 0, 1, 'float32', 3) as tf.Tensor4D;
    // 2·3·11 = 66 scores per query row: a budget of 500 gives chunks of 7 rows (the last one 2).
    assertMatches(chunkedAttention(q, k, v, 500), scaledDotProductAttention(q, k, v), 1e-6, 'values');
    const loss = (chunked: boolean) => (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      tf.sum(tf.sin((chunked ? chunkedAttention(a as tf.Tensor4D, b as tf.Tensor4D, c as tf.Tensor4D, 500) : scaledDotProductAttention(a as tf.Tensor4D, b as tf.Tensor4D, c as tf.Tensor4D))));
    const got = tf.grads(loss(true))([q, k, v]);
    const want = tf.grads(loss(false))([q, k, v]);
    got.forEach((g, i) => assertMatches(g, want[i]!, 1e-5, `grad ${i}`));
  });
});
