import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DiffusersConfigError, SCHEDULER_FIELDS, schedulerConfigFromJson } from '../../../src/sonic/pretrained/index.js';
import { SD_SCHEDULER_CONFIG } from '../../../src/sonic/schedulers/scheduler-config.js';

const FILE = '/models/sd/scheduler/scheduler_config.json';
/** SD 2.x-base's DDIMScheduler config as diffusers 0.42.1 saves it. */
const SAVED = JSON.parse(readFileSync(fileURLToPath(new URL('../../../../test/fixtures/reference/pretrained/sd2-tiny/scheduler/scheduler_config.json', import.meta.url)), 'utf8')) as Record<string, unknown>;
/** CompVis/stable-diffusion-v1-4's scheduler/scheduler_config.json as published (a PNDMScheduler). */
const SD14_PUBLISHED = {
  _class_name: 'PNDMScheduler', _diffusers_version: '0.7.0.dev0', beta_end: 0.012, beta_schedule: 'scaled_linear', beta_start: 0.00085,
  num_train_timesteps: 1000, set_alpha_to_one: false, skip_prk_steps: true, steps_offset: 1, trained_betas: null, clip_sample: false,
};

test("SD 1.4's published (PNDM) and SD 2.x-base's (DDIM) scheduler configs both read as SD_SCHEDULER_CONFIG; other classes' keys are ignored", () => {
  assert.deepEqual(schedulerConfigFromJson(SD14_PUBLISHED, FILE), SD_SCHEDULER_CONFIG);
  assert.deepEqual(schedulerConfigFromJson(SAVED, FILE), SD_SCHEDULER_CONFIG);
  assert.deepEqual(schedulerConfigFromJson({ ...SAVED, _class_name: 'EulerDiscreteScheduler', interpolation_type: 'linear', use_karras_sigmas: false }, FILE), SD_SCHEDULER_CONFIG);
});

test("every DDIM setting and the noise schedule are read; a missing field takes DDIMScheduler's default", () => {
  const c = schedulerConfigFromJson({ ...SD14_PUBLISHED, beta_end: 0.02, num_train_timesteps: 500, steps_offset: 0, set_alpha_to_one: true, clip_sample: true, clip_sample_range: 2.5 }, FILE);
  assert.deepEqual(c, { trainSteps: 500, betaStart: 0.00085, betaEnd: 0.02, stepsOffset: 0, setAlphaToOne: true, clipSample: true, clipSampleRange: 2.5 });
  const { clip_sample: _c, set_alpha_to_one: _a, steps_offset: _s, ...bare } = SD14_PUBLISHED;
  assert.deepEqual(schedulerConfigFromJson(bare, FILE), { ...SD_SCHEDULER_CONFIG, stepsOffset: 0, setAlphaToOne: true, clipSample: true });
});

test('v-prediction, other beta schedules and spacings, given betas, thresholding and zero-SNR rescaling are refused by name', () => {
  const cases: Record<string, unknown> = {
    prediction_type: 'v_prediction', beta_schedule: 'squaredcos_cap_v2', trained_betas: [0.1, 0.2], rescale_betas_zero_snr: true, num_train_timesteps: 0, beta_start: -1, beta_end: 'x',
    clip_sample: 'yes', set_alpha_to_one: 1, steps_offset: -1, thresholding: true, clip_sample_range: 0, timestep_spacing: 'trailing',
  };
  for (const [field, value] of Object.entries(cases)) {
    assert.throws(() => schedulerConfigFromJson({ ...SD14_PUBLISHED, [field]: value }, FILE), (e: unknown) => {
      assert.ok(e instanceof DiffusersConfigError, String(e));
      assert.equal(e.field, field);
      assert.ok(e.message.startsWith(`${FILE}: field '${field}' is ${JSON.stringify(value)}; supported: `), e.message);
      return true;
    });
  }
  const inert = Object.entries(SCHEDULER_FIELDS).filter(([, rule]) => rule.note !== undefined).map(([f]) => f);
  assert.deepEqual(inert.sort(), ['dynamic_thresholding_ratio', 'sample_max_value'], 'only the thresholding settings are accepted with any value');
  for (const field of Object.keys(SCHEDULER_FIELDS)) assert.ok(field in cases || inert.includes(field), `no refusal case for '${field}'`);
  const { beta_schedule: _, ...noSchedule } = SD14_PUBLISHED;
  assert.throws(() => schedulerConfigFromJson(noSchedule, FILE), /field 'beta_schedule' is "linear"; supported: "scaled_linear"/, "a missing field takes diffusers' default");
});
