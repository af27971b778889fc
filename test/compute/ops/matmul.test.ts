import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, valuesOn, randomTensor, assertClose } from '../tf-test-utils.js';
import { matMul } from '../../../src/compute/ops/index.js';

const shapes: Array<{ a: number[]; b: number[]; ta: boolean; tb: boolean }> = [];
for (const ta of [false, true]) {
  for (const tb of [false, true]) {
    shapes.push({ a: ta ? [5, 3] : [3, 5], b: tb ? [4, 5] : [5, 4], ta, tb });
    shapes.push({ a: ta ? [2, 3, 6, 4] : [2, 3, 4, 6], b: tb ? [2, 3, 7, 6] : [2, 3, 6, 7], ta, tb });
  }
}

for (const s of shapes) {
  test(`matMul [${s.a}]${s.ta ? 'ᵀ' : ''}·[${s.b}]${s.tb ? 'ᵀ' : ''} matches native tf.matMul forward and gradients`, async () => {
    const run = (f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor) => () => {
      const a = randomTensor(s.a, 1);
      const b = randomTensor(s.b, 2);
      const y = f(a, b);
      const r = randomTensor(y.shape, 3);
      return [y, ...tf.grads((x: tf.Tensor, z: tf.Tensor) => tf.sum(tf.mul(f(x, z), r)))([a, b])];
    };
    const expected = await valuesOn('cpu', run((a, b) => tf.matMul(a, b, s.ta, s.tb)));
    const actual = await valuesOn('wasm', run((a, b) => matMul(a, b, s.ta, s.tb)));
    ['forward', 'dA', 'dB'].forEach((what, i) => assertClose(actual[i]!, expected[i]!, i === 0 ? 1e-4 : 1e-3, what));
  });
}

test('matMul with broadcast batch dimensions behaves as tf.matMul', () => {
  const a = randomTensor([2, 3, 4], 5);
  const b = randomTensor([1, 5, 4], 6);
  assert.deepEqual([...matMul(a, b, false, true).dataSync()], [...tf.matMul(a, b, false, true).dataSync()]);
});
