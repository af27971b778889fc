import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, BackendUnavailableError } from '../../src/compute/backend.js';

test('auto picks wasm when no @tensorflow/tfjs-node is installed, and says why', async () => {
  const choice = await selectBackend({ env: {} });
  assert.equal(choice.name, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  // Between the two: why webgpu was not taken (no Vulkan driver here, or only a fallback adapter such as SwiftShader).
  assert.match(choice.reason, /^auto: @tensorflow\/tfjs-node-gpu is not installed; @tensorflow\/tfjs-node is not installed; webgpu: [^;]+; WebAssembly \(SIMD\), 1 thread$/);
  assert.equal(choice.threads, 1);
});

test('SONIC_BACKEND=cpu overrides the requested backend', async () => {
  const choice = await selectBackend({ requested: 'wasm', env: { SONIC_BACKEND: 'cpu' } });
  assert.equal(choice.name, 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
  assert.match(choice.reason, /SONIC_BACKEND=cpu/);
  await selectBackend({ requested: 'wasm', env: {} });
  assert.equal(tf.getBackend(), 'wasm');
});

test('requesting an unavailable tensorflow backend is a clear error', async () => {
  await assert.rejects(selectBackend({ requested: 'tensorflow', env: {} }), (e: Error) => {
    assert.ok(e instanceof BackendUnavailableError);
    assert.match(e.message, /needs @tensorflow\/tfjs-node or @tensorflow\/tfjs-node-gpu/);
    assert.match(e.message, /@tensorflow\/tfjs-node is not installed/);
    return true;
  });
  await assert.rejects(selectBackend({ env: { SONIC_BACKEND: 'tensorflow' } }), /SONIC_BACKEND=tensorflow: the TensorFlow backend needs/);
});

test('an unknown SONIC_BACKEND value is rejected with the allowed values', async () => {
  await assert.rejects(selectBackend({ env: { SONIC_BACKEND: 'gpu' } }), /SONIC_BACKEND='gpu' is not a backend; expected one of tensorflow, webgpu, wasm, cpu, auto/);
  await assert.rejects(selectBackend({ env: { SONIC_WASM_THREADS: 'many' } }), /SONIC_WASM_THREADS='many' must be a positive integer/);
});
