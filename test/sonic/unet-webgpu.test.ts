// The method's UNet on webgpu (SwiftShader here): the tiny reference UNet's forward matches the cpu backend
// and diffusers, and a stage-2 adapter step runs only webgpu's own kernels and matches the cpu backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { openFixture, readNchwAsNhwc, readTensor } from './reference-fixtures.js';
import { createUNetParams, loadUNetWeights } from '../../src/sonic/unet/weights.js';
import { isAdapterParam, UNet2DCondition } from '../../src/sonic/unet/unet2d-condition.js';
import { TINY_UNET_CONFIG } from '../../src/sonic/unet/config.js';
import { AudioProjector } from '../../src/sonic/projector/audio-projector.js';
import { SMALL_PROJECTOR } from '../../src/sonic/projector/projector-config.js';
import { stage2ModelFromUNet } from '../../src/sonic/training/unet-stage2-model.js';
import { createStage2Optimizer, stage2Step } from '../../src/sonic/training/stage2.js';
import { assertNoCpuFallback, profileKernels } from '../../src/compute/kernel-profile.js';
import { readToHost } from '../../src/compute/host-read.js';
import { assertClose, useBackend } from '../compute/tf-test-utils.js';
import { useWebGpu, webgpuSkipReason } from '../compute/webgpu/webgpu-gate.js';

const skip = await webgpuSkipReason();
const weights = openFixture('tiny_unet_weights.safetensors');
const io = openFixture('tiny_unet_io.safetensors');
const PROJECTOR = { ...SMALL_PROJECTOR, inputDim: 16, tokens: 3, blocks: 2, outputDim: TINY_UNET_CONFIG.audioCrossAttentionDim };

async function on(backend: 'webgpu' | 'cpu'): Promise<void> {
  if (backend === 'webgpu') await useWebGpu();
  else await useBackend('cpu');
}

async function forward(backend: 'webgpu' | 'cpu'): Promise<Float32Array> {
  await on(backend);
  const params = createUNetParams(TINY_UNET_CONFIG, {});
  loadUNetWeights(params, weights);
  const unet = new UNet2DCondition(TINY_UNET_CONFIG, params);
  const eps = tf.tidy(() =>
    unet.predict({ sample: readNchwAsNhwc(io, 'sample'), timestep: readTensor(io, 'timesteps') as tf.Tensor1D, textTokens: readTensor(io, 'text') as tf.Tensor3D, audioTokens: readTensor(io, 'audio') as tf.Tensor3D }),
  );
  const values = (await eps.data()) as Float32Array;
  eps.dispose();
  params.dispose();
  return values;
}

test('tiny UNet ε with text and audio tokens: webgpu matches cpu and diffusers (relative error ≤ 1e-4)', { skip }, async () => {
  const gpu = await forward('webgpu');
  const cpu = await forward('cpu');
  assertClose(gpu, cpu, 1e-4, 'webgpu vs cpu');
  const reference = tf.tidy(() => readNchwAsNhwc(io, 'eps_audio'));
  assertClose(gpu, (await reference.data()) as Float32Array, 1e-4, 'webgpu vs diffusers');
  reference.dispose();
});

async function adapterStep(backend: 'webgpu' | 'cpu', profile: boolean): Promise<{ loss: number; adapters: Float32Array[] }> {
  await on(backend);
  const params = createUNetParams(TINY_UNET_CONFIG, { trainable: isAdapterParam });
  loadUNetWeights(params, weights);
  const model = stage2ModelFromUNet(new UNet2DCondition(TINY_UNET_CONFIG, params), AudioProjector.create(PROJECTOR, 2));
  const batch = {
    latents: tf.tidy(() => readNchwAsNhwc(io, 'sample')),
    audioEmbeddings: tf.tensor3d(Float32Array.from({ length: 3 * 16 }, (_, i) => Math.sin(i)), [3, 1, 16]),
    nullTextTokens: tf.tidy(() => tf.slice(readTensor(io, 'text'), [0, 0, 0], [1, -1, -1]) as tf.Tensor3D),
  };
  const opt = createStage2Optimizer(model);
  let loss: number;
  if (profile) {
    let pending: Promise<{ loss: number }> | undefined;
    const { profile: kernels } = await profileKernels(() => {
      pending = stage2Step(model, opt, batch, { seed: 5 });
      return [];
    });
    loss = (await pending!).loss;
    assert.equal(kernels.backend, 'webgpu');
    const names = kernels.kernels.map((k) => k.name);
    for (const expected of ['Conv2D', 'BatchMatMul', 'SonicFlashAttention', 'SonicConv2DFilterGrad', 'SonicGroupNormApply']) assert.ok(names.includes(expected), `${expected} not in ${names.join(',')}`);
    assertNoCpuFallback(kernels, { forbid: [] });
  } else {
    loss = (await stage2Step(model, opt, batch, { seed: 5 })).loss;
  }
  const adapterVars = params.names(isAdapterParam).map((n) => params.get(n));
  await readToHost(adapterVars);
  const adapters = adapterVars.map((v) => Float32Array.from(v.dataSync()));
  opt.dispose();
  tf.dispose(Object.values(batch));
  params.dispose();
  return { loss, adapters };
}

test('a stage-2 adapter step on webgpu runs only webgpu kernels and matches cpu', { skip }, async () => {
  const gpu = await adapterStep('webgpu', true);
  const cpu = await adapterStep('cpu', false);
  assert.ok(Math.abs(gpu.loss - cpu.loss) <= 1e-4 * Math.abs(cpu.loss), `loss ${gpu.loss} vs ${cpu.loss}`);
  gpu.adapters.forEach((a, i) => assertClose(a, cpu.adapters[i]!, 1e-4, `adapter tensor ${i} after the step`));
});
