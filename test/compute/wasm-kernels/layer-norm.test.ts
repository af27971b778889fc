// LayerNorm on wasm (the fused GroupNorm kernel, one group per row) against the composed formulation on cpu.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../tf-test-utils.js';
import { layerNorm } from '../../../src/compute/ops/index.js';
import { checkAgainstCpu, kernelsOn } from '../kernel-check.js';

const shifted = (x: tf.Tensor): tf.Tensor => tf.add(tf.mul(x, 2), 0.7);

test('wasm layerNorm over the last axis matches cpu: values and dx, dγ, dβ', async () => {
  await checkAgainstCpu('wasm', 'layerNorm [3, 7, 10]', (x, g, b) => layerNorm(shifted(x), g!, b!), [[3, 7, 10], [10], [10]]);
  await checkAgainstCpu('wasm', 'layerNorm [2, 9, 130]', (x, g, b) => layerNorm(shifted(x), g!, b!, 1e-6), [[2, 9, 130], [130], [130]]);
});

test('wasm layerNorm over the last two axes (LayerNorm([K, L])) matches cpu', async () => {
  await checkAgainstCpu('wasm', 'layerNorm [2, 5, 6, 3] axes [-2, -1]', (x, g, b) => layerNorm(shifted(x), g!, b!, 1e-5, [-2, -1]), [[2, 5, 6, 3], [6, 3], [6, 3]]);
});

test('wasm layerNorm without γ and β matches cpu', async () => {
  await checkAgainstCpu('wasm', 'layerNorm no affine', (x) => layerNorm(shifted(x), null, null), [[4, 5, 7]]);
});

test('on wasm layerNorm runs the fused kernels, no separate moments', async () => {
  const names = await kernelsOn('wasm', (x, g, b) => layerNorm(x, g!, b!), [[2, 3, 8], [8], [8]]);
  for (const kernel of ['SonicWasmGroupNorm', 'SonicWasmGroupNormGrad']) assert.ok(names.has(kernel), `${kernel} did not run (ran: ${[...names]})`);
  for (const kernel of ['Rsqrt', 'Mean', 'SquaredDifference']) assert.ok(!names.has(kernel), `${kernel} ran`);
});
