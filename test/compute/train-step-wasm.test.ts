// One small training step (conv + groupNorm + attention + linear, AdamW) must run entirely on wasm kernels.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf, useBackend, randomTensor } from './tf-test-utils.js';
import * as ops from '../../src/compute/ops/index.js';
import { ParamStore } from '../../src/compute/param-store.js';
import { AdamW } from '../../src/compute/adamw.js';
import { profileKernels, assertNoCpuFallback } from '../../src/compute/kernel-profile.js';

before(() => useBackend('wasm'));

function miniNet() {
  const s = new ParamStore(1);
  s.add('conv_in.weight', [3, 3, 4, 8], 'conv2d', { normal: 0.2 });
  s.add('conv_in.bias', [8], 'plain', 'zeros');
  s.add('norm.weight', [8], 'plain', 'ones');
  s.add('norm.bias', [8], 'plain', 'zeros');
  s.add('down.weight', [3, 3, 8, 8], 'conv2d', { normal: 0.2 });
  for (const p of ['q', 'k', 'v', 'o']) s.add(`attn.${p}.weight`, [8, 8], 'linear', { normal: 0.3 });
  s.add('ln.weight', [8], 'plain', 'ones');
  s.add('ln.bias', [8], 'plain', 'zeros');
  s.add('proj.weight', [8, 4], 'linear', { normal: 0.3 });
  s.add('proj.bias', [4], 'plain', 'zeros');
  s.add('temb.weight', [16, 8], 'linear', { normal: 0.1 });
  const p = (n: string) => s.get(n) as tf.Tensor as never;
  const forward = (x: tf.Tensor4D): tf.Tensor4D => {
    const temb = ops.linear(ops.timestepEmbedding([10, 500], 16), p('temb.weight')); // [2, 8]
    let h = ops.conv2d(x, p('conv_in.weight'), { padding: 1, bias: p('conv_in.bias') });
    h = tf.add(h, tf.reshape(temb, [2, 1, 1, 8]));
    h = ops.silu(ops.groupNorm(h, 4, p('norm.weight'), p('norm.bias')));
    h = ops.conv2d(h, p('down.weight'), { stride: 2, padding: 1 }); // [2, 4, 4, 8]
    const tokens = ops.layerNorm(tf.reshape(h, [2, 16, 8]) as tf.Tensor3D, p('ln.weight'), p('ln.bias'));
    const [q, k, v] = ['q', 'k', 'v'].map((n) => ops.splitHeads(ops.linear(tokens, p(`attn.${n}.weight`)), 2));
    const a = ops.linear(ops.mergeHeads(ops.scaledDotProductAttention(q!, k!, v!)), p('attn.o.weight'));
    const out = ops.linear(ops.geluExact(tf.add(a, tokens) as tf.Tensor3D), p('proj.weight'), p('proj.bias'));
    return ops.upsampleNearest2x(tf.reshape(out, [2, 4, 4, 4]));
  };
  return { store: s, forward };
}

test('a mini-net AdamW step runs only native wasm kernels, with no conv filter/input-grad kernels, and learns', async () => {
  const { store, forward } = miniNet();
  const opt = new AdamW(store.trainableNamed(), { lr: 1e-2 });
  const x = randomTensor([2, 8, 8, 4], 11) as tf.Tensor4D;
  const target = randomTensor([2, 8, 8, 4], 12);
  const loss = () => tf.mean(tf.square(tf.sub(forward(x), target))) as tf.Scalar;

  const first = opt.minimize(loss);
  const tensorsBefore = tf.memory().numTensors;
  const { profile, result } = await profileKernels(() => tf.scalar(opt.minimize(loss)));
  result.dispose();
  assert.equal(tf.memory().numTensors, tensorsBefore, 'a training step leaks tensors');
  assert.equal(profile.backend, 'wasm');
  assert.equal(tf.engine().backendName, 'wasm');
  const names = profile.kernels.map((k) => k.name);
  for (const expected of ['Conv2D', 'BatchMatMul', 'SonicWasmAttention', 'SonicWasmGroupNorm', 'SonicWasmGelu']) assert.ok(names.includes(expected), `${expected} not in ${names.join(',')}`);
  assertNoCpuFallback(profile, { forbid: ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'ResizeNearestNeighbor', 'ResizeNearestNeighborGrad'] });

  let last = first;
  for (let i = 0; i < 5; i++) last = opt.minimize(loss);
  assert.ok(last < first, `loss did not fall: ${first} -> ${last}`);
  opt.dispose();
  store.dispose();
});

test('assertNoCpuFallback catches a kernel re-registered as a fallback, a forbidden kernel, and the wrong backend', async () => {
  const { profile } = await profileKernels(() => tf.relu(tf.tensor1d([-1, 2])));
  assertNoCpuFallback(profile);
  assert.throws(() => assertNoCpuFallback(profile, { forbid: ['Relu'] }), /forbidden kernel Relu/);
  assert.throws(() => assertNoCpuFallback(profile, { backend: 'cpu' }), /ran on backend 'wasm', expected 'cpu'/);
  const original = tf.getKernel('Relu', 'wasm')!;
  tf.unregisterKernel('Relu', 'wasm');
  tf.registerKernel({ ...original, kernelFunc: original.kernelFunc });
  try {
    assert.throws(() => assertNoCpuFallback(profile), /Relu on 'wasm' is a later registration \(fallback\)/);
  } finally {
    tf.unregisterKernel('Relu', 'wasm');
    tf.registerKernel(original);
  }
  assertNoCpuFallback(profile);
});

test('native tf.conv2d filter gradients are unavailable on wasm (why ops.conv2d exists)', () => {
  const x = randomTensor([1, 4, 4, 2], 1) as tf.Tensor4D;
  const w = randomTensor([3, 3, 2, 2], 2) as tf.Tensor4D;
  assert.throws(() => tf.grad((wi: tf.Tensor) => tf.sum(tf.conv2d(x, wi as tf.Tensor4D, 1, 'same')))(w), /Conv2DBackpropFilter' not registered for backend 'wasm'/);
});
