// Fused GroupNorm(+SiLU) (the project's wasm module) against the composed formulation on cpu.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../tf-test-utils.js';
import { groupNorm, groupNormSilu } from '../../../src/compute/ops/index.js';
import { checkAgainstCpu, kernelsOn } from '../kernel-check.js';

// [x shape, groups]: NHWC with odd sizes and channel counts off the SIMD width (scalar tails), [N, L, C], one
// channel per group, many positions (several 64-position partial-sum chunks), the UNet's 32 groups.
const CASES: Array<[number[], number]> = [
  [[2, 5, 7, 6], 3],
  [[3, 9, 12], 4],
  [[1, 3, 3, 130], 5],
  [[2, 4, 4, 8], 8],
  [[2, 17, 19, 6], 2],
  [[2, 8, 8, 64], 32],
];

for (const [shape, groups] of CASES) {
  const c = shape[shape.length - 1]!;
  for (const withSilu of [false, true]) {
    const name = withSilu ? 'groupNormSilu' : 'groupNorm';
    test(`wasm ${name} matches cpu: values and dx, dγ, dβ at [${shape}], ${groups} groups`, async () => {
      // Shift and scale x so the statistics are not those of the unit-range test data.
      const fn = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor => {
        const shifted = tf.add(tf.mul(x, 3), 1.5);
        return (withSilu ? groupNormSilu : groupNorm)(shifted, groups, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5);
      };
      await checkAgainstCpu('wasm', `${name} [${shape}] g${groups}`, fn, [shape, [c], [c]]);
    });
  }
}

test('groupNorm without γ and β matches cpu on wasm', async () => {
  await checkAgainstCpu('wasm', 'groupNorm no affine', (x) => groupNormSilu(x, 2, null, null), [[2, 3, 5, 4]]);
  await checkAgainstCpu('wasm', 'groupNorm no affine, no silu', (x) => groupNorm(x, 3, null, null, 1e-6), [[2, 7, 9]]);
});

test('on wasm groupNormSilu runs the fused kernels, no separate moments or sigmoid', async () => {
  const fn = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor => groupNormSilu(x, 2, g as tf.Tensor1D, b as tf.Tensor1D);
  const names = await kernelsOn('wasm', fn, [[1, 4, 4, 6], [6], [6]]);
  for (const kernel of ['SonicWasmGroupNorm', 'SonicWasmGroupNormGrad']) assert.ok(names.has(kernel), `${kernel} did not run (ran: ${[...names]})`);
  for (const kernel of ['Sigmoid', 'Rsqrt', 'Mean', 'SquaredDifference']) assert.ok(!names.has(kernel), `${kernel} ran`);
});
