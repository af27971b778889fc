import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useWasm, openFixture, fixtureTensor, assertClose } from './fixture-helpers.js';
import { ToyNoisePredictor } from './toy-noise-predictor.js';
import { ddimInvert } from '../../src/sonic/schedulers/ddim-inversion.js';
import { DdimScheduler } from '../../src/sonic/schedulers/ddim.js';
import { sample, guidedEpsilon } from '../../src/sonic/guidance/cfg-sampler.js';
import { mixAudioEmbeddings } from '../../src/sonic/guidance/audio-mixing.js';

before(useWasm);

test('DDIM inversion matches the reference loop at every timestep', () => {
  const f = openFixture('guidance.safetensors');
  const net = ToyNoisePredictor.fromTorch((k) => f.read(k));
  const z0 = fixtureTensor(f, 'invert.z0') as tf.Tensor4D;
  const latents = ddimInvert(net, z0, { steps: 5, textTokens: fixtureTensor(f, 'invert.text') as tf.Tensor3D });
  assert.deepEqual([...latents.keys()], [...f.read('invert.timesteps').data]);
  for (const [t, z] of latents) assertClose(z, fixtureTensor(f, `invert.z.${t}`), 1e-4, `z_${t}`);
  assert.equal(net.calls, 5);
  f.close();
});

test('CFG sampling: one batched [uncond, cond] call per step, matches the reference', () => {
  const f = openFixture('guidance.safetensors');
  const net = ToyNoisePredictor.fromTorch((k) => f.read(k));
  const cond = {
    text: fixtureTensor(f, 'cfg.text') as tf.Tensor3D,
    nullText: fixtureTensor(f, 'cfg.null_text') as tf.Tensor3D,
    audio: fixtureTensor(f, 'cfg.audio') as tf.Tensor3D,
    nullAudio: fixtureTensor(f, 'cfg.null_audio') as tf.Tensor3D,
  };
  const latents = fixtureTensor(f, 'cfg.latents') as tf.Tensor4D;
  const scale = f.read('cfg.scale').data[0]!;
  const s = new DdimScheduler();
  s.setTimesteps(4);
  assertClose(guidedEpsilon(net, latents, s.timesteps[0]!, cond, scale), fixtureTensor(f, 'cfg.first_eps'), 1e-4, 'guided ε');
  net.calls = 0;
  const out = sample(net, { latents, textTokens: cond.text, nullTextTokens: cond.nullText, audioTokens: cond.audio, nullAudioTokens: cond.nullAudio, steps: 4, guidanceScale: scale });
  assert.equal(net.calls, 4);
  assertClose(out, fixtureTensor(f, 'cfg.result'), 1e-4, 'sampled latents');
  assert.throws(() => sample(net, { latents, textTokens: cond.text, nullTextTokens: cond.nullText, audioTokens: cond.audio, steps: 1 }), /both audioTokens and nullAudioTokens/);
  const seeded = (seed: number) => sample(net, { latentShape: [1, 6, 6, 4], seed, textTokens: cond.text, nullTextTokens: cond.nullText, steps: 2 });
  assertClose(seeded(7), seeded(7), 0, 'seeded sampling is deterministic');
  f.close();
});

test('mixAudioEmbeddings interpolates and optionally renormalises', () => {
  const a = tf.tensor2d([[1, 0]]);
  const b = tf.tensor2d([[0, 1]]);
  assert.deepEqual([...mixAudioEmbeddings(a, b, 0.25).dataSync()], [0.75, 0.25]);
  const n = mixAudioEmbeddings(a, b, 0.5, { renormalise: true }).dataSync();
  assert.ok(Math.abs(Math.hypot(n[0]!, n[1]!) - 1) < 1e-6);
  assert.throws(() => mixAudioEmbeddings(a, b, 1.5), /weight must be in \[0, 1\]/);
});
