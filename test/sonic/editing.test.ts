import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useWasm, openFixture, fixtureTensor, assertClose } from './fixture-helpers.js';
import { ToyNoisePredictor, TOY_ATTN_SITE, TOY_RESIDUAL_SITE } from './toy-noise-predictor.js';
import { pnpSitesFor, SD14_UP_LAYOUT } from '../../src/sonic/editing/pnp-sites.js';
import { pnpInjectionHooks, broadcastFirstChunk } from '../../src/sonic/editing/pnp-hooks.js';
import { pnpEdit, injectionSteps } from '../../src/sonic/editing/pnp-edit.js';
import { ddimInvert } from '../../src/sonic/schedulers/ddim-inversion.js';
import { sample } from '../../src/sonic/guidance/cfg-sampler.js';
import type { NoisePredictor, NoisePredictorInput } from '../../src/sonic/noise-predictor.js';

before(useWasm);

test('PnP sites for SD-1.4: decoder layers 4–11 (Q/K) and up_blocks.1.resnets.1–2 (residual)', () => {
  const s = pnpSitesFor(SD14_UP_LAYOUT);
  const attn = (b: number, a: number) => `up_blocks.${b}.attentions.${a}.transformer_blocks.0.attn1`;
  assert.deepEqual(s.selfAttnSites, [attn(1, 1), attn(1, 2), attn(2, 0), attn(2, 1), attn(2, 2), attn(3, 0), attn(3, 1), attn(3, 2)]);
  assert.deepEqual(s.residualSites, ['up_blocks.1.resnets.1', 'up_blocks.1.resnets.2']);
  const tiny = pnpSitesFor({ upBlockTypes: ['UpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D'], layersPerBlock: 1, transformerLayersPerBlock: 2 });
  assert.deepEqual(tiny.residualSites, ['up_blocks.1.resnets.1']);
  assert.deepEqual(tiny.selfAttnSites.slice(0, 3), [
    'up_blocks.1.attentions.1.transformer_blocks.0.attn1',
    'up_blocks.1.attentions.1.transformer_blocks.1.attn1',
    'up_blocks.2.attentions.0.transformer_blocks.0.attn1',
  ]);
  assert.equal(pnpSitesFor(SD14_UP_LAYOUT, { residualLayers: [4] }).residualSites.length, 1); // original PnP
  assert.throws(() => pnpSitesFor({ upBlockTypes: ['UpBlock2D'], layersPerBlock: 1 }), /at least 2 up blocks/);
  assert.throws(() => pnpSitesFor(SD14_UP_LAYOUT, { residualLayers: [12] }), /decoder layer 12 outside 0\.\.11/);
});

test('injection hooks copy chunk 0 into chunks 1 and 2 only at listed sites when active', () => {
  const q = tf.tensor3d([[[1]], [[2]], [[3]]]);
  const h = tf.tensor4d([[[[1]]], [[[2]]], [[[3]]]]);
  const on = pnpInjectionHooks({ selfAttnSites: ['a'], residualSites: ['r'], active: true });
  assert.deepEqual([...on.selfAttentionQK!('a', q, q).q.dataSync()], [1, 1, 1]);
  assert.deepEqual([...on.selfAttentionQK!('b', q, q).k.dataSync()], [1, 2, 3]);
  assert.deepEqual([...on.resnetResidual!('r', h).dataSync()], [1, 1, 1]);
  const off = pnpInjectionHooks({ selfAttnSites: ['a'], residualSites: ['r'], active: false });
  assert.equal(off.resnetResidual!('r', h), h);
  assert.throws(() => broadcastFirstChunk(tf.zeros([4, 1])), /not 3 equal chunks/);
  assert.equal(injectionSteps(50, 0.8), 40);
  assert.equal(injectionSteps(50, 0.5), 25);
});

// Records, per call, whether the hooks changed chunks 1–2 at the toy's sites.
class SpyPredictor implements NoisePredictor {
  log: { attn: boolean; res: boolean; batch: number }[] = [];
  constructor(private readonly inner: NoisePredictor) {}
  predict(input: NoisePredictorInput): tf.Tensor4D {
    const probe = tf.tensor3d([[[1]], [[2]], [[3]]]);
    const attn = input.hooks?.selfAttentionQK?.(TOY_ATTN_SITE, probe, probe).q.dataSync()[2] === 1;
    const res = input.hooks?.resnetResidual?.(TOY_RESIDUAL_SITE, tf.reshape(probe, [3, 1, 1, 1]) as tf.Tensor4D).dataSync()[2] === 1;
    this.log.push({ attn, res, batch: input.sample.shape[0] });
    return this.inner.predict(input);
  }
}

test('pnpEdit: batch of 3, thresholds per step, τ = 0 equals plain CFG sampling from z_T', () => {
  const f = openFixture('guidance.safetensors');
  const toy = ToyNoisePredictor.fromTorch((k) => f.read(k));
  const nullText = fixtureTensor(f, 'cfg.null_text') as tf.Tensor3D;
  const text = fixtureTensor(f, 'cfg.text') as tf.Tensor3D;
  const audio = fixtureTensor(f, 'cfg.audio') as tf.Tensor3D;
  const nullAudio = fixtureTensor(f, 'cfg.null_audio') as tf.Tensor3D;
  const steps = 5;
  const inverted = ddimInvert(toy, fixtureTensor(f, 'invert.z0') as tf.Tensor4D, { steps, textTokens: nullText });
  const sites = { selfAttnSites: [TOY_ATTN_SITE], residualSites: [TOY_RESIDUAL_SITE] };
  const common = { invertedLatents: inverted, sourceTextTokens: nullText, negativeTextTokens: nullText, textTokens: text, audioTokens: audio, nullAudioTokens: nullAudio, sites, guidanceScale: 7.5, steps };

  const spy = new SpyPredictor(toy);
  const edited = pnpEdit(spy, { ...common, tauAttn: 0.4, tauFeat: 0.8 });
  assert.deepEqual(spy.log.map((l) => l.batch), [3, 3, 3, 3, 3]);
  assert.deepEqual(spy.log.map((l) => l.attn), [true, true, false, false, false]);
  assert.deepEqual(spy.log.map((l) => l.res), [true, true, true, true, false]);

  const plain = pnpEdit(toy, { ...common, tauAttn: 0, tauFeat: 0 });
  const reference = sample(toy, { latents: inverted.get(801)!, textTokens: text, nullTextTokens: nullText, audioTokens: audio, nullAudioTokens: nullAudio, steps, guidanceScale: 7.5 });
  assertClose(plain, reference, 1e-5, 'τ=0 edit vs CFG sampling');
  const diff = tf.max(tf.abs(tf.sub(edited, plain))).dataSync()[0]!;
  assert.ok(diff > 1e-3, 'injection had no effect');
  assert.throws(() => pnpEdit(toy, { ...common, steps: 4, tauAttn: 0.5, tauFeat: 0.5 }), /no inverted latent for timestep 751/);
  f.close();
});
