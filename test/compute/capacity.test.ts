// Capacity checks: the SD-1.4 UNet's estimate, the refusal messages per backend, and a small model passing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertModelFits, backendCapacity, CapacityError, WASM_USABLE_BYTES } from '../../src/compute/capacity/backend-capacity.js';
import { estimateUNetMemory } from '../../src/sonic/unet/memory-estimate.js';
import { SD14_UNET_CONFIG, TINY_UNET_CONFIG } from '../../src/sonic/unet/config.js';

const sd14 = (training: boolean, latentSide = 8, batch = 2) => ({
  model: `the SD-1.4 UNet (${training ? 'training' : 'sampling'})`,
  ...estimateUNetMemory(SD14_UNET_CONFIG, { batch, latentSide, training }),
});

test('the SD-1.4 UNet with adapters: 888,012,174 parameters, 3.31 GiB of weights; activations grow with latent size and training', () => {
  const sample8 = estimateUNetMemory(SD14_UNET_CONFIG, { batch: 2, latentSide: 8, training: false });
  assert.equal(sample8.parameters, 888_012_174);
  assert.equal(sample8.adapterParameters, 28_491_210);
  assert.equal(sample8.weightBytes, 888_012_174 * 4);
  assert.equal(sample8.optimizerBytes, 0);
  const sample64 = estimateUNetMemory(SD14_UNET_CONFIG, { batch: 2, latentSide: 64, training: false });
  const train64 = estimateUNetMemory(SD14_UNET_CONFIG, { batch: 2, latentSide: 64, training: true });
  assert.ok(sample64.activationBytes > 10 * sample8.activationBytes);
  assert.ok(train64.activationBytes > 5 * sample64.activationBytes, 'training keeps every block\'s activations');
  assert.equal(train64.optimizerBytes, 3 * 28_491_210 * 4);
  // The largest tensor is a weight at 8×8 (conv 2560→1280 3×3: 112.5 MiB).
  assert.equal(sample8.largestTensorBytes, 2560 * 1280 * 9 * 4);
});

test('SD-1.4 on wasm is refused with the model, its size, the limit and what to do', () => {
  assert.throws(() => assertModelFits(sd14(false), backendCapacity('wasm')), (e: Error) => {
    assert.ok(e instanceof CapacityError);
    assert.match(e.message, /^the SD-1\.4 UNet \(sampling\) needs 888,012,174 parameters, 3\.31 GiB of fp32 weights, about 3\.3\d GiB with activations: more than the wasm backend's usable WebAssembly heap .*, 2\.00 GiB\./);
    assert.match(e.message, /webgpu backend finds a hardware adapter/);
    assert.match(e.message, /`sonic doctor`/);
    assert.match(e.message, /SONIC_BACKEND=webgpu runs it on the SwiftShader software adapter/);
    return true;
  });
  assert.equal(WASM_USABLE_BYTES, 2 ** 31);
});

test('a webgpu adapter whose buffers are too small for the largest tensor is named in the refusal', () => {
  const capacity = { backend: 'webgpu', memoryWhat: 'device memory (not reported)', maxTensorBytes: 64 * 2 ** 20, tensorWhat: "largest buffer of adapter 'Small GPU'" };
  assert.throws(() => assertModelFits(sd14(false), capacity), /its largest tensor, 0\.11 GiB, exceeds the largest buffer of adapter 'Small GPU', 0\.06 GiB\. Use a GPU with larger limits/);
  const big = { ...capacity, maxTensorBytes: 2 ** 31 };
  assert.match(assertModelFits(sd14(true), big), /^the SD-1\.4 UNet \(training\): 888,012,174 parameters, .* fits the webgpu backend \(device memory \(not reported\)\)$/);
});

test('a tiny UNet fits wasm and the cpu backend is bounded by host memory', () => {
  const tiny = { model: 'tiny', ...estimateUNetMemory(TINY_UNET_CONFIG, { batch: 4, latentSide: 8, training: true }) };
  assert.match(assertModelFits(tiny, backendCapacity('wasm')), /^tiny: .* fits the wasm backend \(2\.00 GiB usable WebAssembly heap/);
  assert.match(backendCapacity('cpu').memoryWhat, /host memory/);
  const huge = { ...sd14(true, 512, 64), model: 'SD-1.4 at 4096 px' };
  assert.throws(() => assertModelFits(huge, backendCapacity('cpu')), /more than the cpu backend's host memory/);
});
