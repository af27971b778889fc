// The webgpu backend starts on Dawn (SwiftShader here), computes what wasm computes, and is chosen only
// when forced while the only adapter is a fallback (software) one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, assertClose, randomTensor, useBackend } from '../tf-test-utils.js';
import { selectBackend } from '../../../src/compute/backend.js';
import { activeWebGpuAdapter } from '../../../src/compute/webgpu/activate-webgpu.js';
import { useWebGpu, webgpuSkipReason } from './webgpu-gate.js';

const skip = await webgpuSkipReason();

test('SONIC_BACKEND=webgpu starts tfjs webgpu on a Dawn adapter and matches wasm on a matmul', { skip }, async () => {
  const choice = await selectBackend({ env: { SONIC_BACKEND: 'webgpu' } });
  assert.equal(choice.name, 'webgpu');
  assert.equal(tf.getBackend(), 'webgpu');
  const adapter = activeWebGpuAdapter()!;
  assert.ok(adapter.maxBufferSize > 0 && adapter.maxStorageBufferBindingSize > 0);
  assert.match(choice.reason, new RegExp(`SONIC_BACKEND=webgpu; WebGPU on adapter ${adapter.index} '`));
  const run = async () => {
    const y = tf.tidy(() => tf.matMul(randomTensor([33, 70], 1) as tf.Tensor2D, randomTensor([70, 45], 2) as tf.Tensor2D));
    const values = (await y.data()) as Float32Array;
    y.dispose();
    return values;
  };
  const onGpu = await run();
  await useBackend('wasm');
  const onWasm = await run();
  assertClose(onGpu, onWasm, 1e-5, 'matmul webgpu vs wasm');
  await useWebGpu();
});

test('auto does not pick a fallback (software) adapter and says so', { skip }, async () => {
  const onlyFallback = activeWebGpuAdapter()?.isFallback ?? true;
  const choice = await selectBackend({ env: {} });
  if (onlyFallback) {
    assert.equal(choice.name, 'wasm');
    assert.match(choice.reason, /webgpu: adapter \d+ '.*' \(vulkan, fallback\/software\) is a fallback \(software\) adapter, used only with SONIC_BACKEND=webgpu; WebAssembly/);
  } else {
    assert.equal(choice.name, 'webgpu');
  }
});
