import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointMismatchError } from '../../src/compute/param-store.js';
import { writeSafetensors, type HostTensor } from '../../src/compute/safetensors.js';
import { TINY_UNET_CONFIG } from '../../src/sonic/unet/config.js';
import { UNet2DCondition, isAdapterParam } from '../../src/sonic/unet/unet2d-condition.js';
import { createUNetParams, loadUNetWeights } from '../../src/sonic/unet/weights.js';
import { openFixture, useWasm } from './reference-fixtures.js';

const weights = openFixture('tiny_unet_weights.safetensors');
const dir = mkdtempSync(join(tmpdir(), 'unet-weights-'));

before(useWasm);
after(() => rmSync(dir, { recursive: true, force: true }));

function writeVariant(name: string, edit: (tensors: Map<string, HostTensor>) => void): string {
  const tensors = new Map(weights.keys().map((k) => [k, weights.read(k)]));
  edit(tensors);
  const path = join(dir, name);
  writeSafetensors(path, tensors);
  return path;
}

test('a fresh store has every parameter with torch-default init, the adapter gates at 0, trainability as asked', () => {
  const store = createUNetParams(TINY_UNET_CONFIG, { seed: 3, trainable: isAdapterParam });
  assert.deepEqual(store.names().sort(), UNet2DCondition.paramSpecs(TINY_UNET_CONFIG).map((s) => s.name).sort());
  assert.equal(store.get('up_blocks.1.attentions.0.transformer_blocks.0.gate_adapter').dataSync()[0], 0);
  assert.deepEqual([...store.get('conv_norm_out.weight').dataSync()].slice(0, 2), [1, 1]);
  const w = store.get('conv_in.weight').dataSync();
  const bound = 1 / Math.sqrt(4 * 9);
  assert.ok(w.every((v) => Math.abs(v) <= bound) && w.some((v) => Math.abs(v) > bound / 2));
  assert.equal(store.trainableNamed().length, 32);
  assert.ok(store.trainableNamed().every((e) => isAdapterParam(e.name)));
  store.dispose();
});

test('a missing, an extra and a mis-shaped key are all reported with key and both shapes', () => {
  const path = writeVariant('bad.safetensors', (t) => {
    t.delete('mid_block.resnets.0.conv1.bias');
    t.set('mid_block.resnets.0.conv9.weight', { shape: [2, 2], data: new Float32Array(4) });
    t.set('conv_out.weight', { shape: [4, 16, 3, 2], data: new Float32Array(4 * 16 * 3 * 2) });
  });
  const store = createUNetParams(TINY_UNET_CONFIG);
  assert.throws(
    () => loadUNetWeights(store, path),
    (e: unknown) => {
      assert.ok(e instanceof CheckpointMismatchError);
      assert.match(e.message, /bad\.safetensors/);
      assert.match(e.message, /missing[^\n]*\n\s+mid_block\.resnets\.0\.conv1\.bias \[torch 32\]/);
      assert.match(e.message, /mid_block\.resnets\.0\.conv9\.weight \[2,2\]/);
      assert.match(e.message, /conv_out\.weight: torch \[4,16,3,2\], expected torch \[4,16,3,3\]/);
      return true;
    },
  );
  store.dispose();
});

test('SD base weights and the adapter checkpoint load separately (strict within each part)', () => {
  const base = writeVariant('base.safetensors', (t) => {
    for (const k of [...t.keys()]) if (isAdapterParam(k)) t.delete(k);
  });
  const adapters = writeVariant('adapters.safetensors', (t) => {
    for (const k of [...t.keys()]) if (!isAdapterParam(k)) t.delete(k);
  });
  const store = createUNetParams(TINY_UNET_CONFIG);
  assert.equal(loadUNetWeights(store, base, 'base').loaded.length, weights.keys().length - 32);
  assert.equal(loadUNetWeights(store, adapters, 'adapters').loaded.length, 32);
  const gate = 'mid_block.attentions.0.transformer_blocks.0.gate_adapter';
  assert.equal(store.get(gate).dataSync()[0], weights.read(gate).data[0]);
  // A full checkpoint is not an adapter checkpoint, and an adapter checkpoint is not a full UNet.
  assert.throws(() => loadUNetWeights(store, weights, 'adapters'), /conv_in\.weight \(parameter 'conv_in\.weight' is excluded by 'only'\)/);
  assert.throws(() => loadUNetWeights(store, adapters), /missing from the checkpoint/);
  store.dispose();
});
