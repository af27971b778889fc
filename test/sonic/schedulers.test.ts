import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { useWasm, openFixture, fixtureTensor, assertClose, relativeError } from './fixture-helpers.js';
import { NoiseSchedule } from '../../src/sonic/schedulers/noise-schedule.js';
import { DdimScheduler } from '../../src/sonic/schedulers/ddim.js';
import { ddimInvert } from '../../src/sonic/schedulers/ddim-inversion.js';
import { SD_SCHEDULER_CONFIG } from '../../src/sonic/schedulers/scheduler-config.js';
import { schedulerConfigFromJson } from '../../src/sonic/pretrained/scheduler-config-json.js';
import * as tf from '@tensorflow/tfjs-core';

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

test('a non-SD scheduler_config.json (500 steps, other betas, steps_offset 0, set_alpha_to_one, clip_sample 0.5) gives what diffusers DDIMScheduler computes', () => {
  const f = openFixture('scheduler-config.safetensors');
  const config = schedulerConfigFromJson(JSON.parse(f.metadata.scheduler_config!), 'scheduler-config.safetensors#scheduler_config');
  assert.deepEqual(config, { trainSteps: 500, betaStart: 0.001, betaEnd: 0.02, stepsOffset: 0, setAlphaToOne: true, clipSample: true, clipSampleRange: 0.5 });
  const s = DdimScheduler.fromConfig(config);
  assert.ok(relativeError(s.schedule.alphasCumprod, f.read('alphas_cumprod').data) < 1e-6, 'ᾱ');
  assert.deepEqual(s.setTimesteps(10), [...f.read('timesteps.10').data]);
  const sample = fixtureTensor(f, 'step.sample') as tf.Tensor4D;
  const eps = fixtureTensor(f, 'step.eps') as tf.Tensor4D;
  const r = s.step(eps, f.read('step.t').data[0]!, sample);
  assertClose(r.predOriginal, fixtureTensor(f, 'step.x0'), 1e-4, 'pred x0, clipped to ±0.5');
  assertClose(r.prevSample, fixtureTensor(f, 'step.prev'), 1e-4, 'prev sample');
  assertClose(s.step(eps, f.read('step_last.t').data[0]!, sample).prevSample, fixtureTensor(f, 'step_last.prev'), 1e-4, 'last step (final ᾱ = 1)');
  // With SD's settings the same step differs: the config is what decides.
  const sd = new DdimScheduler(s.schedule, SD_SCHEDULER_CONFIG);
  sd.setTimesteps(10);
  assert.ok(relativeError(sd.step(eps, f.read('step.t').data[0]!, sample).prevSample.dataSync(), f.read('step.prev').data) > 1e-2);
  f.close();
});

test("DDIM inversion starts from the scheduler's final ᾱ: ᾱ_0 with SD's settings, 1 with set_alpha_to_one", () => {
  const z0 = tf.ones([1, 2, 2, 1]) as tf.Tensor4D;
  const zeroEps = { predict: ({ sample }: { sample: tf.Tensor4D }) => tf.zerosLike(sample) };
  const first = (setAlphaToOne: boolean): number => {
    const s = new DdimScheduler(undefined, { ...SD_SCHEDULER_CONFIG, setAlphaToOne });
    const z = ddimInvert(zeroEps, z0, { steps: 50, textTokens: tf.zeros([1, 1, 1]) as tf.Tensor3D, scheduler: s });
    const v = z.get(1)!.dataSync()[0]!;
    tf.dispose([...z.values()]);
    return v;
  };
  const sd = DdimScheduler.fromConfig(SD_SCHEDULER_CONFIG).schedule;
  // With ε = 0, z_1 = √(ᾱ_1 / ᾱ_prev)·z0.
  assert.ok(Math.abs(first(false) - Math.sqrt(sd.alphaBar(1) / sd.alphaBar(0))) < 1e-6);
  assert.ok(Math.abs(first(true) - Math.sqrt(sd.alphaBar(1))) < 1e-6);
  assert.throws(() => new DdimScheduler(undefined, { ...SD_SCHEDULER_CONFIG, stepsOffset: 30 }).setTimesteps(50), /steps_offset 30 with 50 steps starts at timestep 1010, past the last training timestep 999/);
});
