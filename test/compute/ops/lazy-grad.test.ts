// lazyGradOp: only the gradients backprop asks for are computed, shared work runs once, nothing leaks, and it
// behaves under tf.grads, tf.variableGrads and nested tidy. These pin the tfjs-core engine behaviour the
// helper relies on (Engine.runKernelFunc, per-input gradient closures, saved tensors freed after the pass).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, assertClose, randomTensor, useBackend } from '../tf-test-utils.js';
import { lazyGradOp } from '../../../src/compute/ops/lazy-grad.js';

before(() => useBackend('cpu'));

interface Calls {
  closures: number[];
  shared: number;
}

/**
 * y = a·b + c (elementwise). Gradients: dA = dy·b, dB = dy·a, dC = dy; dA and dB come from one shared
 * computation (counted), so asking for both must run it once.
 */
function spyOp(calls: Calls, a: tf.Tensor, b: tf.Tensor, c: tf.Tensor): tf.Tensor {
  return lazyGradOp([a, b, c], ([a1, b1, c1], save) => {
    save([a1, b1]);
    return {
      value: tf.add(tf.mul(a1, b1), c1),
      gradFunc: (dy, [as, bs], share) => {
        const products = share(() => {
          calls.shared++;
          return [tf.mul(dy, bs!), tf.mul(dy, as!)];
        });
        return [
          () => (calls.closures[0]!++, products()[0]!),
          () => (calls.closures[1]!++, tf.mul(products()[1]!, 1)),
          () => (calls.closures[2]!++, dy),
        ];
      },
    };
  });
}

const fresh = (): Calls => ({ closures: [0, 0, 0], shared: 0 });
const inputs = (): [tf.Tensor, tf.Tensor, tf.Tensor] => [tf.tensor1d([1, 2, 3]), tf.tensor1d([4, 5, 6]), tf.tensor1d([7, 8, 9])];

test('the forward value is the function value, with or without a tape', () => {
  const [a, b, c] = inputs();
  const y = spyOp(fresh(), a, b, c);
  assert.deepEqual([...y.dataSync()], [11, 18, 27]);
  tf.dispose([a, b, c, y]);
});

test('tf.grads with respect to one input calls only that input’s closure', () => {
  const calls = fresh();
  tf.tidy(() => {
    const [a, b, c] = inputs();
    const loss = (x: tf.Tensor) => tf.sum(tf.mul(spyOp(calls, a, x, c), tf.tensor1d([1, 2, 3])));
    const g = tf.grad(loss)(b);
    assert.deepEqual([...g.dataSync()], [1, 4, 9]); // dy·a with dy = [1, 2, 3]
  });
  assert.deepEqual(calls, { closures: [0, 1, 0], shared: 1 });
});

test('a computation shared by two requested gradients runs once; an unrelated input’s closure never runs', () => {
  const calls = fresh();
  tf.tidy(() => {
    const [a, b, c] = inputs();
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(spyOp(calls, x, y, c)))([a, b]);
    assert.deepEqual([...ga!.dataSync()], [4, 5, 6]);
    assert.deepEqual([...gb!.dataSync()], [1, 2, 3]);
  });
  assert.deepEqual(calls, { closures: [1, 1, 0], shared: 1 });
});

test('tf.variableGrads skips frozen (non-trainable) variables and leaks no tensor, inside nested tidy', () => {
  const calls = fresh();
  const [a0, b0, c0] = inputs();
  const a = tf.variable(a0, false); // frozen
  const b = tf.variable(b0, true);
  const c = tf.variable(c0, true);
  tf.dispose([a0, b0, c0]);
  const before = tf.memory().numTensors;
  tf.tidy(() =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(spyOp(calls, a, b, c))) as tf.Scalar, [a, b, c]);
      // y = [11, 18, 27]; d(Σy²)/dy = 2y; dB = 2y·a, dC = 2y.
      assert.equal(value.dataSync()[0], 11 * 11 + 18 * 18 + 27 * 27);
      assert.deepEqual([...grads[b.name]!.dataSync()], [22, 72, 162]);
      assert.deepEqual([...grads[c.name]!.dataSync()], [22, 36, 54]);
      assert.equal(grads[a.name], null);
    }),
  );
  assert.equal(tf.memory().numTensors, before, 'tensors leaked by a gradient step');
  assert.deepEqual(calls, { closures: [0, 1, 1], shared: 1 });
  tf.dispose([a, b, c]);
});

test('a shared tensor returned as a gradient outlives the pass, and unrequested shared results are freed', () => {
  const calls = fresh();
  const [a, b, c] = inputs();
  const before = tf.memory().numTensors;
  // Only a: its closure returns shared result 0 itself; shared result 1 (for b) is never handed out.
  const ga = tf.grad((x: tf.Tensor) => tf.sum(spyOp(calls, x, b, c)))(a);
  assert.deepEqual([...ga.dataSync()], [4, 5, 6]);
  ga.dispose();
  assert.equal(tf.memory().numTensors, before, 'shared results leaked');
  tf.dispose([a, b, c]);
});

test('without a tape nothing is saved: a forward pass leaves only its value', () => {
  const [a, b, c] = inputs();
  const before = tf.memory().numTensors;
  const y = spyOp(fresh(), a, b, c);
  assert.equal(tf.memory().numTensors, before + 1);
  tf.dispose([a, b, c, y]);
});

test('one tensor passed as two inputs gets the sum of both gradients', () => {
  const calls = fresh();
  const x = randomTensor([4], 3);
  const zero = tf.zerosLike(x);
  const g = tf.grad((u: tf.Tensor) => tf.sum(spyOp(calls, u, u, zero)))(x); // d(Σx²)/dx = 2x
  assertClose(g.dataSync(), tf.mul(x, 2).dataSync(), 1e-6, 'gradient');
  assert.deepEqual(calls, { closures: [1, 1, 0], shared: 1 });
  tf.dispose([x, zero, g]);
});

test('gradFunc must give one closure per input', () => {
  const bad = (x: tf.Tensor, y: tf.Tensor) =>
    lazyGradOp([x, y], ([x1, y1]) => ({ value: tf.add(x1, y1), gradFunc: (dy) => [() => dy] }));
  const [a, b] = inputs();
  assert.throws(() => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(bad(x, y)))([a, b]), /1 closures for 2 inputs/);
  tf.dispose([a, b]);
});
