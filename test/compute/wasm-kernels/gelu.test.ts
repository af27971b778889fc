// Exact GELU on wasm (the project's module) against the composed erf formulation on cpu.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../tf-test-utils.js';
import { geluExact } from '../../../src/compute/ops/index.js';
import { checkAgainstCpu, kernelsOn } from '../kernel-check.js';

test('wasm geluExact matches cpu: values and gradient, sizes off the SIMD width, wide input range', async () => {
  // x·4 spans [−4, 4]: both tails of erf and the region around 0.
  const gelu = (x: tf.Tensor): tf.Tensor => geluExact(tf.mul(x, 4));
  for (const shape of [[1], [3], [2, 5, 7], [4, 33, 16]]) await checkAgainstCpu('wasm', `gelu [${shape}]`, gelu, [shape]);
});

test('on wasm geluExact runs the fused kernels, not erf', async () => {
  const names = await kernelsOn('wasm', (x) => geluExact(x), [[3, 10]]);
  for (const kernel of ['SonicWasmGelu', 'SonicWasmGeluGrad']) assert.ok(names.has(kernel), `${kernel} did not run (ran: ${[...names]})`);
  assert.ok(!names.has('Erf'), 'Erf ran');
});
