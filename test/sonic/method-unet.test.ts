// The method driving the real (tiny) UNet: stage-2 training on the adapters and PnP editing at the
// structurally derived decoder sites.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useWasm, openFixture } from './reference-fixtures.js';
import { createUNetParams, loadUNetWeights } from '../../src/sonic/unet/weights.js';
import { isAdapterParam } from '../../src/sonic/unet/unet2d-condition.js';
import { TINY_UNET_CONFIG, SD14_UNET_CONFIG } from '../../src/sonic/unet/config.js';
import { UNet2DCondition } from '../../src/sonic/unet/unet2d-condition.js';
import { AudioProjector } from '../../src/sonic/projector/audio-projector.js';
import { SMALL_PROJECTOR } from '../../src/sonic/projector/projector-config.js';
import { stage2ModelFromUNet } from '../../src/sonic/training/unet-stage2-model.js';
import { createStage2Optimizer, stage2Step } from '../../src/sonic/training/stage2.js';
import { pnpSitesFor, SD14_UP_LAYOUT } from '../../src/sonic/editing/pnp-sites.js';
import { pnpEdit } from '../../src/sonic/editing/pnp-edit.js';
import { ddimInvert } from '../../src/sonic/schedulers/ddim-inversion.js';
import type { UNetHooks } from '../../src/sonic/noise-predictor.js';

before(useWasm);

const PROJECTOR = { ...SMALL_PROJECTOR, inputDim: 16, tokens: 3, blocks: 2, outputDim: TINY_UNET_CONFIG.audioCrossAttentionDim };

function tinyUNet(trainableAdapters: boolean) {
  const weights = openFixture('tiny_unet_weights.safetensors');
  const params = createUNetParams(TINY_UNET_CONFIG, { trainable: (n: string) => trainableAdapters && isAdapterParam(n) });
  loadUNetWeights(params, weights);
  weights.close();
  return { unet: new UNet2DCondition(TINY_UNET_CONFIG, params), params };
}

test('PnP sites derive from the UNet config (SD-1.4 and tiny)', () => {
  assert.deepEqual(pnpSitesFor(SD14_UNET_CONFIG), pnpSitesFor(SD14_UP_LAYOUT));
  assert.deepEqual(pnpSitesFor(TINY_UNET_CONFIG), {
    selfAttnSites: ['up_blocks.1.attentions.1.transformer_blocks.0.attn1', 'up_blocks.1.attentions.2.transformer_blocks.0.attn1'],
    residualSites: ['up_blocks.1.resnets.1', 'up_blocks.1.resnets.2'],
  });
});

test('stage 2 on the tiny UNet trains adapters and projector only', async () => {
  const { unet, params } = tinyUNet(true);
  const projector = AudioProjector.create(PROJECTOR, 2);
  const model = stage2ModelFromUNet(unet, projector);
  assert.equal(model.adapterVariables.length, UNet2DCondition.adapterParameterNames(TINY_UNET_CONFIG).length);
  const frozenName = 'up_blocks.1.resnets.0.conv1.weight';
  const frozenBefore = Float32Array.from(params.get(frozenName)!.dataSync());
  const gateName = UNet2DCondition.adapterParameterNames(TINY_UNET_CONFIG).find((n) => n.endsWith('gate_adapter'))!;
  const gateBefore = params.get(gateName)!.dataSync()[0]!;
  const batch = {
    latents: tf.randomNormal([2, 8, 8, 4], 0, 1, 'float32', 3) as tf.Tensor4D,
    audioEmbeddings: tf.randomNormal([2, 1, 16], 0, 1, 'float32', 4) as tf.Tensor3D,
    nullTextTokens: tf.randomNormal([1, 5, TINY_UNET_CONFIG.crossAttentionDim], 0, 1, 'float32', 5) as tf.Tensor3D,
  };
  const opt = createStage2Optimizer(model);
  const r = await stage2Step(model, opt, batch, { seed: 7 });
  assert.ok(Number.isFinite(r.loss));
  assert.deepEqual(params.get(frozenName)!.dataSync(), frozenBefore);
  assert.notEqual(params.get(gateName)!.dataSync()[0], gateBefore);
  assert.throws(() => stage2ModelFromUNet(unet, AudioProjector.create(SMALL_PROJECTOR, 0)), /expect audioCrossAttentionDim = 20/);
  assert.throws(() => stage2ModelFromUNet(tinyUNet(false).unet, projector), /must be a trainable tf\.Variable/);
});

test('PnP editing with the tiny UNet: injection reaches the UNet sites and changes the edit', () => {
  const { unet } = tinyUNet(false);
  const projector = AudioProjector.create(PROJECTOR, 2);
  const text = tf.randomNormal([1, 5, TINY_UNET_CONFIG.crossAttentionDim], 0, 1, 'float32', 8) as tf.Tensor3D;
  const nullText = tf.zerosLike(text);
  const steps = 3;
  const inverted = ddimInvert(unet, tf.randomNormal([1, 8, 8, 4], 0, 1, 'float32', 9) as tf.Tensor4D, { steps, textTokens: nullText });
  const sites = pnpSitesFor(TINY_UNET_CONFIG);
  const seen = new Set<string>();
  const spy = {
    predict: (input: Parameters<UNet2DCondition['predict']>[0]) => {
      const inner = input.hooks!;
      const hooks: UNetHooks = {
        selfAttentionQK: (site, q, k) => {
          const r = inner.selfAttentionQK!(site, q, k);
          if (r.q !== q) seen.add(site);
          return r;
        },
        resnetResidual: (site, h) => {
          const r = inner.resnetResidual!(site, h);
          if (r !== h) seen.add(site);
          return r;
        },
      };
      return unet.predict({ ...input, hooks });
    },
  };
  const common = {
    invertedLatents: inverted, sourceTextTokens: nullText, negativeTextTokens: nullText, textTokens: nullText,
    audioTokens: projector.apply(tf.randomNormal([1, 1, 16], 0, 1, 'float32', 10)), nullAudioTokens: projector.nullAudio(),
    sites, guidanceScale: 8, steps,
  };
  const injected = pnpEdit(spy, { ...common, tauAttn: 1, tauFeat: 1 });
  assert.deepEqual([...seen].sort(), [...sites.selfAttnSites, ...sites.residualSites].sort());
  const free = pnpEdit(unet, { ...common, tauAttn: 0, tauFeat: 0 });
  assert.ok(tf.max(tf.abs(tf.sub(injected, free))).dataSync()[0]! > 1e-4);
});
