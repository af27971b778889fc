import { test } from 'node:test';
import assert from 'node:assert/strict';
import { permute, tfShapeOf, tfToTorch, torchToTf } from '../../src/compute/torch-layout.js';

test('linear weights transpose to [in, out]', () => {
  const w = { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) };
  const t = torchToTf('linear', w);
  assert.deepEqual(t.shape, [3, 2]);
  assert.deepEqual([...t.data], [1, 4, 2, 5, 3, 6]);
});

test('conv2d weights become HWIO and round-trip', () => {
  const n = 2 * 3 * 2 * 2;
  const w = { shape: [2, 3, 2, 2], data: Float32Array.from({ length: n }, (_, i) => i) };
  const t = torchToTf('conv2d', w);
  assert.deepEqual(t.shape, [2, 2, 3, 2]);
  // element [kh=1, kw=0, in=2, out=1] comes from torch [out=1, in=2, kh=1, kw=0]
  const torchIndex = ((1 * 3 + 2) * 2 + 1) * 2 + 0;
  const tfIndex = ((1 * 2 + 0) * 3 + 2) * 2 + 1;
  assert.equal(t.data[tfIndex], torchIndex);
  assert.deepEqual([...tfToTorch('conv2d', t).data], [...w.data]);
  assert.deepEqual(tfShapeOf('conv1d', [8, 4, 17]), [17, 4, 8]);
});

test('permute rejects a wrong rank', () => {
  assert.throws(() => permute({ shape: [2, 2], data: new Float32Array(4) }, [0, 1, 2]), /does not match rank/);
});
