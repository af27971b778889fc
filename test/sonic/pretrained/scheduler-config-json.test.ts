import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DiffusersConfigError, SCHEDULER_FIELDS, noiseScheduleFromJson } from '../../../src/sonic/pretrained/index.js';
import { SD_NOISE_SCHEDULE } from '../../../src/sonic/schedulers/noise-schedule.js';

const FILE = '/models/sd/scheduler/scheduler_config.json';
/** SD 2.x-base's DDIMScheduler config as diffusers 0.42.1 saves it. */
const SAVED = JSON.parse(readFileSync(fileURLToPath(new URL('../../../../test/fixtures/reference/pretrained/sd2-tiny/scheduler/scheduler_config.json', import.meta.url)), 'utf8')) as Record<string, unknown>;
/** CompVis/stable-diffusion-v1-4's scheduler/scheduler_config.json as published (a PNDMScheduler). */
const SD14_PUBLISHED = {
  _class_name: 'PNDMScheduler', _diffusers_version: '0.7.0.dev0', beta_end: 0.012, beta_schedule: 'scaled_linear', beta_start: 0.00085,
  num_train_timesteps: 1000, set_alpha_to_one: false, skip_prk_steps: true, steps_offset: 1, trained_betas: null, clip_sample: false,
};

test('SD 1.4 (PNDM) and SD 2.x-base (DDIM) scheduler configs give the SD noise schedule; sampler settings are not read', () => {
  assert.deepEqual(noiseScheduleFromJson(SD14_PUBLISHED, FILE), SD_NOISE_SCHEDULE);
  assert.deepEqual(noiseScheduleFromJson(SAVED, FILE), SD_NOISE_SCHEDULE);
  assert.deepEqual(noiseScheduleFromJson({ ...SAVED, thresholding: true, timestep_spacing: 'trailing', _class_name: 'EulerDiscreteScheduler' }, FILE), SD_NOISE_SCHEDULE);
});

test('v-prediction, other beta schedules, given betas and zero-SNR rescaling are refused by name', () => {
  const cases: Record<string, unknown> = { prediction_type: 'v_prediction', beta_schedule: 'squaredcos_cap_v2', trained_betas: [0.1, 0.2], rescale_betas_zero_snr: true, num_train_timesteps: 0, beta_start: -1, beta_end: 'x' };
  for (const [field, value] of Object.entries(cases)) {
    assert.throws(() => noiseScheduleFromJson({ ...SD14_PUBLISHED, [field]: value }, FILE), (e: unknown) => {
      assert.ok(e instanceof DiffusersConfigError, String(e));
      assert.equal(e.field, field);
      assert.ok(e.message.startsWith(`${FILE}: field '${field}' is ${JSON.stringify(value)}; supported: `), e.message);
      return true;
    });
  }
  for (const field of Object.keys(SCHEDULER_FIELDS)) assert.ok(field in cases, `no refusal case for '${field}'`);
  const { beta_schedule: _, ...noSchedule } = SD14_PUBLISHED;
  assert.throws(() => noiseScheduleFromJson(noSchedule, FILE), /field 'beta_schedule' is "linear"; supported: "scaled_linear"/, "a missing field takes diffusers' default");
});
