import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempDir } from '../helpers/temp-dir.js';
import { tf, useBackend, assertClose, repoPath } from './tf-test-utils.js';
import { SafetensorsFile } from '../../src/compute/safetensors.js';
import { ParamStore, loadTorchCheckpoint, saveTorchCheckpoint, CheckpointMismatchError } from '../../src/compute/param-store.js';
import * as ops from '../../src/compute/ops/index.js';

const CKPT = () => repoPath('test/fixtures/reference/param-store/tiny.safetensors');

before(() => useBackend('wasm'));

function tinyStore(seed = 0): ParamStore {
  const s = new ParamStore(seed);
  s.add('conv.weight', [3, 3, 3, 4], 'conv2d', { normal: 0.1 });
  s.add('conv.bias', [4], 'plain', 'zeros');
  s.add('gn.weight', [4], 'plain', 'ones');
  s.add('gn.bias', [4], 'plain', 'zeros');
  s.add('lin.weight', [4, 5], 'linear', { uniform: 0.5 });
  s.add('lin.bias', [5], 'plain', 'zeros');
  s.add('conv1.weight', [3, 5, 3], 'conv1d', { normal: 0.1 });
  s.add('conv1.bias', [3], 'plain', 'zeros');
  s.add('convt.weight', [4, 2, 3], 'conv_transpose1d', { normal: 0.1 });
  s.add('convt.bias', [2], 'plain', 'zeros', { trainable: false });
  return s;
}

/** The torch model of make_param_store_fixture.py, channels-last. */
function forward(s: ParamStore, x: tf.Tensor4D): tf.Tensor3D {
  const p = (n: string) => s.get(n) as tf.Tensor as never;
  let h: tf.Tensor4D = ops.conv2d(x, p('conv.weight'), { padding: 1, bias: p('conv.bias') });
  h = ops.silu(ops.groupNorm(h, 2, p('gn.weight'), p('gn.bias')));
  const pooled = tf.mean(h, 1) as tf.Tensor3D; // [B, W, 4]
  const l = ops.linear(pooled, p('lin.weight'), p('lin.bias'));
  const c = ops.conv1d(l, p('conv1.weight'), { padding: 1, bias: p('conv1.bias') });
  return ops.convTranspose1d(c, p('convt.weight'), { stride: 2, padding: 1, bias: p('convt.bias') });
}

test('a torch state dict loads into the store (prefix stripped) and reproduces the torch forward pass', () => {
  const store = tinyStore();
  const report = loadTorchCheckpoint(store, CKPT(), { prefix: 'model.', strict: true });
  assert.equal(report.loaded.length, 10);
  const io = new SafetensorsFile(repoPath('test/fixtures/reference/param-store/io.safetensors'));
  const x = io.read('x');
  const y = io.read('y');
  io.close();
  tf.tidy(() => {
    const out = forward(store, tf.transpose(tf.tensor4d(x.data, x.shape as [number, number, number, number]), [0, 2, 3, 1]));
    assertClose(tf.transpose(out, [0, 2, 1]).dataSync(), y.data, 1e-4, 'tiny model output');
  });
});

test('saveTorchCheckpoint writes torch layouts: saved tensors equal the original torch state dict', () => {
  const dir = tempDir('params-');
  const store = tinyStore();
  loadTorchCheckpoint(store, CKPT(), { prefix: 'model.', strict: true });
  saveTorchCheckpoint(store, join(dir, 'out.safetensors'), undefined, { prefix: 'model.' });
  const a = new SafetensorsFile(CKPT());
  const b = new SafetensorsFile(join(dir, 'out.safetensors'));
  assert.deepEqual(b.keys().sort(), a.keys().sort());
  for (const k of a.keys()) {
    assert.deepEqual(b.read(k).shape, a.read(k).shape, k);
    assert.deepEqual([...b.read(k).data], [...a.read(k).data], k);
  }
  assert.equal(b.metadata.format, 'pt');
  a.close();
  b.close();
  const again = tinyStore(99);
  loadTorchCheckpoint(again, join(dir, 'out.safetensors'), { prefix: 'model.', strict: true });
  assert.deepEqual([...again.get('convt.weight').dataSync()], [...store.get('convt.weight').dataSync()]);
});

test('a mismatching checkpoint fails with one error listing every missing, extra and mis-shaped key with shapes', () => {
  const store = tinyStore();
  store.add('extra.weight', [2, 3], 'linear', 'zeros');
  const wrong = new ParamStore();
  for (const n of store.names()) {
    const e = store.entry(n);
    const shape: number[] = n === 'conv.weight' ? [3, 3, 8, 4] : [...e.variable.shape];
    if (n !== 'lin.bias') wrong.add(n, shape, e.layout, 'zeros');
  }
  assert.throws(
    () => loadTorchCheckpoint(wrong, CKPT(), { prefix: 'model.', strict: true }),
    (e: Error) => {
      assert.ok(e instanceof CheckpointMismatchError);
      assert.match(e.message, /tiny\.safetensors: checkpoint does not match the model/);
      assert.match(e.message, /missing from the checkpoint \(1\):\n\s+model\.extra\.weight \[torch 3,2\]/);
      assert.match(e.message, /not parameters of the model \(1\):\n\s+model\.lin\.bias \[5\]/);
      assert.match(e.message, /model\.conv\.weight: torch \[4,3,3,3\], expected torch \[4,8,3,3\] \(tfjs \[3,3,8,4\], layout conv2d\)/);
      return true;
    },
  );
  // non-strict: missing/extra keys are reported, not fatal; shapes still are
  const lenient = tinyStore();
  lenient.add('extra.weight', [2, 3], 'linear', 'zeros');
  const report = loadTorchCheckpoint(lenient, CKPT(), { prefix: 'model.', strict: false });
  assert.deepEqual(report.missing, ['model.extra.weight [torch 3,2]']);
  assert.throws(() => loadTorchCheckpoint(wrong, CKPT(), { prefix: 'model.', strict: false }), /wrong shape \(1\)/);
});

test('only/map select a sub-model, as for the adapter-only checkpoint', () => {
  const store = tinyStore();
  const before = [...store.get('conv.weight').dataSync()];
  const report = loadTorchCheckpoint(store, CKPT(), {
    strict: true,
    map: (k) => (k.startsWith('model.conv1.') ? k.slice('model.'.length) : null),
    only: (n) => n.startsWith('conv1.'),
  });
  assert.deepEqual(report.loaded.sort(), ['conv1.bias', 'conv1.weight']);
  assert.deepEqual([...store.get('conv.weight').dataSync()], before);
});

test('initialisation is seeded per parameter name, not by insertion order', () => {
  const a = new ParamStore(7);
  a.add('x', [64], 'plain', { normal: 1 });
  a.add('y', [64], 'plain', { uniform: 0.1 });
  const b = new ParamStore(7);
  b.add('y', [64], 'plain', { uniform: 0.1 });
  b.add('x', [64], 'plain', { normal: 1 });
  assert.deepEqual([...a.get('x').dataSync()], [...b.get('x').dataSync()]);
  assert.deepEqual([...a.get('y').dataSync()], [...b.get('y').dataSync()]);
  const xs = [...a.get('x').dataSync()];
  const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / xs.length);
  assert.ok(std > 0.6 && std < 1.4, `std ${std}`);
  assert.ok([...a.get('y').dataSync()].every((v) => Math.abs(v) <= 0.1));
  const c = new ParamStore(8);
  c.add('x', [64], 'plain', { normal: 1 });
  assert.notDeepEqual([...c.get('x').dataSync()], xs);
  assert.equal(a.count(), 128);
  assert.throws(() => a.add('x', [1], 'plain', 'zeros'), /'x' is already defined/);
  assert.throws(() => a.get('nope'), /no parameter 'nope'/);
  assert.deepEqual(tinyStore().trainableNamed().map((e) => e.name).includes('convt.bias'), false);
});
