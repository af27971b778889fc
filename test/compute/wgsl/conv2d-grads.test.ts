// Conv2D filter and input gradients (WGSL, webgpu) against the cpu formulation, through ops/conv2d.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../tf-test-utils.js';
import { conv2d, type Conv2dPadding } from '../../../src/compute/ops/index.js';
import { filterGradSplit } from '../../../src/compute/wgsl/conv2d-grads.js';
import { checkAgainstCpu, kernelsOn } from '../kernel-check.js';
import { webgpuSkipReason } from '../webgpu/webgpu-gate.js';

const skip = await webgpuSkipReason();

interface Case {
  x: [number, number, number, number];
  w: [number, number, number, number];
  stride: number | [number, number];
  padding: Conv2dPadding;
}

// Odd sizes, channel counts off the 32-wide tiles, stride 2 with asymmetric 'same' padding, a 1×3 filter,
// and enough positions (2·16·16) that the filter gradient splits its reduction.
const CASES: Case[] = [
  { x: [1, 5, 6, 3], w: [3, 3, 3, 2], stride: 1, padding: 1 },
  { x: [2, 9, 7, 5], w: [3, 3, 5, 37], stride: 2, padding: 'same' },
  { x: [1, 7, 8, 6], w: [1, 3, 6, 4], stride: [1, 2], padding: [[0, 0], [1, 0]] },
  { x: [2, 16, 16, 4], w: [3, 3, 4, 33], stride: 1, padding: 1 },
  { x: [1, 6, 6, 35], w: [2, 2, 35, 3], stride: 2, padding: 0 },
];

for (const c of CASES) {
  test(`conv2d gradients match cpu: x [${c.x}], w [${c.w}], stride ${JSON.stringify(c.stride)}, padding ${JSON.stringify(c.padding)}`, { skip }, async () => {
    const fn = (x: tf.Tensor, w: tf.Tensor): tf.Tensor => conv2d(x as tf.Tensor4D, w as tf.Tensor4D, { stride: c.stride, padding: c.padding });
    await checkAgainstCpu('webgpu', `conv2d x [${c.x}] w [${c.w}]`, fn, [c.x, c.w]);
  });
}

test('on webgpu conv2d gradients run the WGSL kernels, not tfjs backprop kernels', { skip }, async () => {
  const fn = (x: tf.Tensor, w: tf.Tensor): tf.Tensor => conv2d(x as tf.Tensor4D, w as tf.Tensor4D, { padding: 1 });
  const names = await kernelsOn('webgpu', fn, [[1, 6, 6, 3], [3, 3, 3, 4]]);
  for (const kernel of ['SonicConv2DFilterGrad', 'SonicConv2DInputGrad']) assert.ok(names.has(kernel), `${kernel} did not run (ran: ${[...names]})`);
  for (const kernel of ['Conv2DBackpropFilter', 'Conv2DBackpropInput']) assert.ok(!names.has(kernel), `${kernel} ran`);
});

test('the filter gradient splits long reductions over small filters and never over few positions', () => {
  assert.deepEqual(filterGradSplit(100, 36, 320), { splits: 1, chunk: 100 });
  const big = filterGradSplit(6 * 64 * 64, 36, 320); // SD conv_in: 20 output tiles, 24576 positions
  assert.ok(big.splits > 1 && big.splits * big.chunk >= 6 * 64 * 64 && (big.splits - 1) * big.chunk < 6 * 64 * 64);
  assert.equal(filterGradSplit(6 * 64 * 64, 2880, 320).splits, 1); // 900 tiles already fill the GPU
});
