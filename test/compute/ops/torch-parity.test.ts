// Forward values and gradients of the ops against PyTorch (tools/reference/make_ops_fixture.py), on wasm.
import { test, before, after } from 'node:test';
import { tf, useBackend, assertClose, repoPath } from '../tf-test-utils.js';
import { SafetensorsFile } from '../../../src/compute/safetensors.js';
import * as ops from '../../../src/compute/ops/index.js';

let file: SafetensorsFile;
before(async () => {
  await useBackend('wasm');
  file = new SafetensorsFile(repoPath('test/fixtures/reference/ops/ops.safetensors'));
});
after(() => file.close());

function load(key: string, perm?: number[]): tf.Tensor {
  const t = file.read(key);
  const x = tf.tensor(t.data, t.shape);
  return perm ? tf.transpose(x, perm) : x;
}

function config(key: string): number[] {
  return [...file.read(key).data];
}

/** Checks y and the gradients of sum(y·r) w.r.t. `inputs` against the fixture. */
function check(name: string, inputs: Record<string, number[] | undefined>, yPerm: number[] | undefined, f: (...xs: tf.Tensor[]) => tf.Tensor): void {
  tf.tidy(() => {
    const keys = Object.keys(inputs);
    const xs = keys.map((k) => load(`${name}.${k}`, inputs[k]));
    const r = load(`${name}.r`, yPerm);
    const y = f(...xs);
    assertClose(y.dataSync(), load(`${name}.y`, yPerm).dataSync(), 1e-4, `${name} forward`);
    const grads = tf.grads((...args: tf.Tensor[]) => tf.sum(tf.mul(f(...args), r)))(xs);
    keys.forEach((k, i) => assertClose(grads[i]!.dataSync(), load(`${name}.grad.${k}`, inputs[k]).dataSync(), 1e-3, `${name} d/d${k}`));
  });
}

const NCL = [0, 2, 1];
const NCHW = [0, 2, 3, 1];

for (const name of ['conv1d_a', 'conv1d_b']) {
  test(`conv1d matches torch F.conv1d (${name})`, () => {
    const [stride, padding] = config(`${name}.config`) as [number, number];
    check(name, { x: NCL, w: [2, 1, 0], b: undefined }, NCL, (x, w, b) => ops.conv1d(x as tf.Tensor3D, w as tf.Tensor3D, { stride, padding, bias: b as tf.Tensor1D }));
  });
}

for (const name of ['convt1d_a', 'convt1d_b', 'convt1d_c', 'convt1d_d']) {
  test(`convTranspose1d matches torch F.conv_transpose1d (${name})`, () => {
    const [stride, padding, outputPadding] = config(`${name}.config`) as [number, number, number];
    check(name, { x: NCL, w: [2, 1, 0], b: undefined }, NCL, (x, w, b) =>
      ops.convTranspose1d(x as tf.Tensor3D, w as tf.Tensor3D, { stride, padding, outputPadding, bias: b as tf.Tensor1D }),
    );
  });
}

test('groupNorm matches torch F.group_norm (NHWC)', () => {
  check('groupnorm', { x: NCHW, gamma: undefined, beta: undefined }, NCHW, (x, g, b) => ops.groupNorm(x!, 4, g as tf.Tensor1D, b as tf.Tensor1D, 1e-6));
});

test('layerNorm matches torch over the last axis and jointly over the last two', () => {
  check('layernorm', { x: undefined, gamma: undefined, beta: undefined }, undefined, (x, g, b) => ops.layerNorm(x!, g!, b!, 1e-5));
  check('layernorm2', { x: undefined, gamma: undefined, beta: undefined }, undefined, (x, g, b) => ops.layerNorm(x!, g!, b!, 1e-5, [-2, -1]));
});

test('geluExact and silu match torch', () => {
  check('gelu', { x: undefined }, undefined, (x) => ops.geluExact(x!));
  check('silu', { x: undefined }, undefined, (x) => ops.silu(x!));
});

test('scaledDotProductAttention matches torch F.scaled_dot_product_attention', () => {
  check('attention', { q: undefined, k: undefined, v: undefined }, undefined, (q, k, v) => ops.scaledDotProductAttention(q as tf.Tensor4D, k as tf.Tensor4D, v as tf.Tensor4D));
});

test('linear on rank-3 input matches torch F.linear', () => {
  check('linear', { x: undefined, w: [1, 0], b: undefined }, undefined, (x, w, b) => ops.linear(x as tf.Tensor3D, w as tf.Tensor2D, b as tf.Tensor1D));
});

test('upsampleNearest2x matches torch nearest interpolation', () => {
  check('upsample', { x: NCHW }, NCHW, (x) => ops.upsampleNearest2x(x as tf.Tensor4D));
});

test('timestepEmbedding matches diffusers get_timestep_embedding', () => {
  // torch's vectorised float32 exp is 1 ulp off the correctly rounded value on 3 of the 160 SD frequencies;
  // at t=999 that moves the argument of sin/cos by ~6e-5, hence 1e-4 and not 1e-5.
  tf.tidy(() => {
    const t = load('temb.t') as tf.Tensor1D;
    assertClose(ops.timestepEmbedding(t, 320).dataSync(), load('temb.sd').dataSync(), 1e-4, 'dim 320, flip, shift 0');
    assertClose(ops.timestepEmbedding([...t.dataSync()], 7, { flipSinToCos: false, downscaleFreqShift: 1 }).dataSync(), load('temb.odd').dataSync(), 1e-5, 'dim 7, shift 1');
  });
});
