import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { useWasm, openFixture, fixtureTensor, assertClose, relativeError } from './fixture-helpers.js';
import { NoiseSchedule } from '../../src/sonic/schedulers/noise-schedule.js';
import { DdimScheduler } from '../../src/sonic/schedulers/ddim.js';
import type * as tf from '@tensorflow/tfjs-core';

before(useWasm);

test('scaled_linear ᾱ matches diffusers', () => {
  const f = openFixture('schedulers.safetensors');
  const err = relativeError(new NoiseSchedule().alphasCumprod, f.read('alphas_cumprod').data);
  assert.ok(err < 1e-6, `ᾱ relative error ${err}`);
  f.close();
});

test('DDIM timesteps are exact (50 steps: 981…1; 10 steps)', () => {
  const f = openFixture('schedulers.safetensors');
  const s = new DdimScheduler();
  const t50 = s.setTimesteps(50);
  assert.deepEqual(t50, [...f.read('timesteps.50').data]);
  assert.equal(t50[0], 981);
  assert.equal(t50.at(-1), 1);
  assert.deepEqual(s.setTimesteps(10), [...f.read('timesteps.10').data]);
  assert.throws(() => s.setTimesteps(0), /steps must be an integer in 1\.\.1000/);
  f.close();
});

test('DDIM step and DDPM addNoise match diffusers', () => {
  const f = openFixture('schedulers.safetensors');
  const s = new DdimScheduler();
  s.setTimesteps(50);
  const sample = fixtureTensor(f, 'step.sample') as tf.Tensor4D;
  const eps = fixtureTensor(f, 'step.eps') as tf.Tensor4D;
  const t = f.read('step.t').data[0]!;
  const r = s.step(eps, t, sample);
  assertClose(r.prevSample, fixtureTensor(f, 'step.prev'), 1e-4, 'prev sample');
  assertClose(r.predOriginal, fixtureTensor(f, 'step.x0'), 1e-4, 'pred x0');
  assertClose(s.step(eps, 1, sample).prevSample, fixtureTensor(f, 'step_last.prev'), 1e-4, 'last step (ᾱ_0)');
  const ts = [...f.read('noise.t').data];
  const noisy = new NoiseSchedule().addNoise(fixtureTensor(f, 'noise.x0') as tf.Tensor4D, fixtureTensor(f, 'noise.eps') as tf.Tensor4D, ts);
  assertClose(noisy, fixtureTensor(f, 'noise.noisy'), 1e-4, 'add_noise');
  f.close();
});
