// Fused GroupNorm(+SiLU) (WGSL, webgpu) against the composed formulation on cpu.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../tf-test-utils.js';
import { groupNorm, groupNormSilu } from '../../../src/compute/ops/index.js';
import { checkAgainstCpu, kernelsOn } from '../kernel-check.js';
import { webgpuSkipReason } from '../webgpu/webgpu-gate.js';

const skip = await webgpuSkipReason();

// [x shape, groups]: NHWC with odd sizes, [N, L, C], one channel per group, more channels than a workgroup row.
const CASES: Array<[number[], number]> = [
  [[2, 5, 7, 6], 3],
  [[3, 9, 12], 4],
  [[1, 3, 3, 130], 5],
  [[2, 4, 4, 8], 8],
];

for (const [shape, groups] of CASES) {
  const c = shape[shape.length - 1]!;
  for (const withSilu of [false, true]) {
    const name = withSilu ? 'groupNormSilu' : 'groupNorm';
    test(`${name} matches cpu: values and dx, dγ, dβ at [${shape}], ${groups} groups`, { skip }, async () => {
      // Shift and scale x so the statistics are not those of the unit-range test data.
      const fn = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor => {
        const shifted = tf.add(tf.mul(x, 3), 1.5);
        return (withSilu ? groupNormSilu : groupNorm)(shifted, groups, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5);
      };
      await checkAgainstCpu('webgpu', `${name} [${shape}] g${groups}`, fn, [shape, [c], [c]]);
    });
  }
}

test('groupNorm without γ and β matches cpu on webgpu', { skip }, async () => {
  await checkAgainstCpu('webgpu', 'groupNorm no affine', (x) => groupNormSilu(x, 2, null, null), [[2, 3, 5, 4]]);
});

test('on webgpu groupNormSilu runs the fused kernels, no separate moments, sigmoid or multiply', { skip }, async () => {
  const fn = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor => groupNormSilu(x, 2, g as tf.Tensor1D, b as tf.Tensor1D);
  const names = await kernelsOn('webgpu', fn, [[1, 4, 4, 6], [6], [6]]);
  for (const kernel of ['SonicGroupNormStats', 'SonicGroupNormApply', 'SonicGroupNormGradSums', 'SonicGroupNormGradInput', 'SonicGroupNormGradParams']) {
    assert.ok(names.has(kernel), `${kernel} did not run (ran: ${[...names]})`);
  }
  for (const kernel of ['Sigmoid', 'Rsqrt', 'Mean', 'SquaredDifference']) assert.ok(!names.has(kernel), `${kernel} ran`);
});
