// The project's custom-gradient ops compute an input's gradient only when backprop needs it (lazy-grad.ts):
// a frozen filter or weight (stage-2 adapter training) costs no filter/weight-gradient kernel, the values
// of the gradients that are computed do not change, and a training step with frozen weights leaks nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, assertClose, randomTensor, useBackend } from '../tf-test-utils.js';
import { conv2d, groupNorm, linear, matMul, matMul2d, scaledDotProductAttention } from '../../../src/compute/ops/index.js';
import { profileKernels } from '../../../src/compute/kernel-profile.js';

type Backend = 'cpu' | 'wasm';

/** How many times each kernel ran while fn ran (fn's tensors are disposed). */
async function kernelCalls(fn: () => tf.Tensor[]): Promise<Map<string, number>> {
  const { profile, result } = await profileKernels(() => tf.tidy(fn));
  tf.dispose(result);
  return new Map(profile.kernels.map((k) => [k.name, k.calls]));
}

/** Gradients of Σ f(x, w)·r with respect to the inputs picked by `wrt` (0: first, 1: second). */
function gradsOf(f: (x: tf.Tensor, w: tf.Tensor) => tf.Tensor, x: tf.Tensor, w: tf.Tensor, r: tf.Tensor, wrt: number[]): tf.Tensor[] {
  const loss = (...args: tf.Tensor[]) => {
    const [xi, wi] = wrt.length === 2 ? args : wrt[0] === 0 ? [args[0]!, w] : [x, args[0]!];
    return tf.sum(tf.mul(f(xi!, wi!), r));
  };
  return tf.grads(loss)(wrt.map((i) => (i === 0 ? x : w)));
}

const convCases = [
  { what: '3×3 stride 2 padded', x: [2, 7, 6, 3], w: [3, 3, 3, 4], stride: 2, padding: 1, kernel: 'Conv2D' },
  { what: '3×3 stride 1 unpadded', x: [1, 6, 5, 2], w: [3, 3, 2, 3], stride: 1, padding: 0, kernel: 'Conv2D' },
  { what: '1×1 (a 2-D matMul)', x: [2, 4, 4, 5], w: [1, 1, 5, 3], stride: 1, padding: 0, kernel: 'BatchMatMul' },
] as const;

for (const backend of ['wasm', 'cpu'] as Backend[]) {
  for (const c of convCases) {
    test(`conv2d ${c.what} on ${backend}: a frozen filter costs no filter-gradient ${c.kernel}; a data input costs no input-gradient ${c.kernel}`, async () => {
      await useBackend(backend);
      const x = randomTensor([...c.x], 1);
      const w = randomTensor([...c.w], 2);
      const conv = (xi: tf.Tensor, wi: tf.Tensor) => conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, { stride: c.stride, padding: c.padding });
      const r = tf.tidy(() => randomTensor(conv(x, w).shape, 3));
      // One forward product, plus one per requested gradient.
      for (const [wrt, expected] of [[[0], 2], [[1], 2], [[0, 1], 3]] as const) {
        const calls = await kernelCalls(() => gradsOf(conv, x, w, r, [...wrt]));
        assert.equal(calls.get(c.kernel), expected, `${c.kernel} calls differentiating input(s) ${wrt}`);
      }
      // The gradients computed alone equal those computed together, which the other suites check against tfjs.
      tf.tidy(() => {
        const both = gradsOf(conv, x, w, r, [0, 1]);
        assertClose(gradsOf(conv, x, w, r, [0])[0]!.dataSync(), both[0]!.dataSync(), 1e-6, 'dX alone');
        assertClose(gradsOf(conv, x, w, r, [1])[0]!.dataSync(), both[1]!.dataSync(), 1e-6, 'dW alone');
      });
      tf.dispose([x, w, r]);
    });
  }

  test(`matMul2d, matMul and linear on ${backend}: a frozen weight costs no weight-gradient product`, async () => {
    await useBackend(backend);
    const a = randomTensor([24, 8], 4);
    const b = randomTensor([8, 5], 5);
    const r = randomTensor([24, 5], 6);
    const ops: Array<[string, (x: tf.Tensor, w: tf.Tensor) => tf.Tensor]> = [
      ['matMul2d', (x, w) => matMul2d(x as tf.Tensor2D, w as tf.Tensor2D)],
      ['matMul', (x, w) => matMul(x, w)],
      ['linear', (x, w) => linear(x as tf.Tensor2D, w as tf.Tensor2D, tf.ones([5]) as tf.Tensor1D)],
    ];
    for (const [name, op] of ops) {
      for (const [wrt, expected] of [[[0], 2], [[1], 2], [[0, 1], 3]] as const) {
        const calls = await kernelCalls(() => gradsOf(op, a, b, r, [...wrt]));
        assert.equal(calls.get('BatchMatMul'), expected, `${name}: BatchMatMul calls differentiating input(s) ${wrt}`);
      }
      tf.tidy(() => {
        const both = gradsOf(op, a, b, r, [0, 1]);
        const ref = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), name === 'linear' ? 1 : 0), r)))([a, b]);
        assertClose(gradsOf(op, a, b, r, [0])[0]!.dataSync(), ref[0]!.dataSync(), 1e-5, `${name} dA alone`);
        assertClose(gradsOf(op, a, b, r, [1])[0]!.dataSync(), ref[1]!.dataSync(), 1e-5, `${name} dB alone`);
        assertClose(both[1]!.dataSync(), ref[1]!.dataSync(), 1e-5, `${name} dB together`);
      });
    }
    tf.dispose([a, b, r]);
  });
}

test('the fused wasm kernels whose one backward call yields every gradient run it once per op', async () => {
  await useBackend('wasm');
  const x = randomTensor([2, 4, 4, 8], 7);
  const gamma = randomTensor([8], 8) as tf.Tensor1D;
  const beta = randomTensor([8], 9) as tf.Tensor1D;
  const norm = await kernelCalls(() => tf.grads((xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(groupNorm(xi, 2, g as tf.Tensor1D, b as tf.Tensor1D))))([x, gamma, beta]));
  assert.equal(norm.get('SonicWasmGroupNormGrad'), 1);
  const q = randomTensor([1, 2, 9, 4], 10) as tf.Tensor4D;
  const k = randomTensor([1, 2, 7, 4], 11) as tf.Tensor4D;
  const v = randomTensor([1, 2, 7, 3], 12) as tf.Tensor4D;
  const attn = await kernelCalls(() => tf.grads((qi: tf.Tensor, ki: tf.Tensor, vi: tf.Tensor) => tf.sum(tf.square(scaledDotProductAttention(qi as tf.Tensor4D, ki as tf.Tensor4D, vi as tf.Tensor4D))))([q, k, v]));
  assert.equal(attn.get('SonicWasmAttentionGrad'), 1);
  // Asking for dQ alone (cross-attention on a fixed context) gives the same dQ.
  const all = tf.grads((qi: tf.Tensor, ki: tf.Tensor, vi: tf.Tensor) => tf.sum(tf.square(scaledDotProductAttention(qi as tf.Tensor4D, ki as tf.Tensor4D, vi as tf.Tensor4D))))([q, k, v]);
  const dq = tf.grad((qi: tf.Tensor) => tf.sum(tf.square(scaledDotProductAttention(qi as tf.Tensor4D, k, v))))(q);
  assertClose(dq.dataSync(), all[0]!.dataSync(), 1e-6, 'dQ alone');
  tf.dispose([x, gamma, beta, q, k, v, dq, ...all]);
});

for (const backend of ['wasm', 'cpu'] as Backend[]) {
  test(`a training step through frozen conv, GroupNorm, attention and linear layers leaks no tensor on ${backend}`, async () => {
    await useBackend(backend);
    const frozen = {
      conv: tf.variable(randomTensor([3, 3, 4, 8], 1), false),
      gamma: tf.variable(randomTensor([8], 2), false),
      beta: tf.variable(randomTensor([8], 3), false),
      proj: tf.variable(randomTensor([8, 8], 4), false),
    };
    const adapter = tf.variable(randomTensor([8, 8], 5), true);
    const bias = tf.variable(randomTensor([8], 6), true);
    const x = randomTensor([2, 6, 6, 4], 7) as tf.Tensor4D;
    const step = () =>
      tf.tidy(() => {
        const h = groupNorm(conv2d(x, frozen.conv as tf.Tensor4D, { padding: 1 }), 2, frozen.gamma as tf.Tensor1D, frozen.beta as tf.Tensor1D);
        const tokens = tf.reshape(h, [2, 36, 8]) as tf.Tensor3D;
        const adapted = linear(tokens, adapter as tf.Tensor2D, bias as tf.Tensor1D);
        const q = tf.reshape(linear(adapted, frozen.proj as tf.Tensor2D), [2, 1, 36, 8]) as tf.Tensor4D;
        const kv = tf.reshape(tokens, [2, 1, 36, 8]) as tf.Tensor4D;
        return tf.mean(tf.square(scaledDotProductAttention(q, kv, kv))) as tf.Scalar;
      });
    const first = tf.variableGrads(step, [adapter, bias, ...Object.values(frozen)]);
    tf.dispose([first.value, ...Object.values(first.grads).filter((g): g is tf.Tensor => g !== null)]);
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(step, [adapter, bias, ...Object.values(frozen)]);
    assert.deepEqual(Object.keys(grads).filter((n) => grads[n] !== null).sort(), [adapter.name, bias.name].sort());
    assert.ok(Number.isFinite(value.dataSync()[0]));
    tf.dispose([value, grads[adapter.name]!, grads[bias.name]!]);
    assert.equal(tf.memory().numTensors, before, 'tensors leaked by a training step');
    tf.dispose([x, adapter, bias, ...Object.values(frozen)]);
  });
}
