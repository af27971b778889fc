// A diffusers scheduler/scheduler_config.json -> SchedulerConfig, read as DDIMScheduler.from_pretrained
// reads it (what the paper's code does, spec §6): every __init__ field of diffusers 0.42.1's DDIMScheduler,
// missing fields taking DDIMScheduler's defaults. Keys of other scheduler classes (SD 1.4 ships a
// PNDMScheduler config with `skip_prk_steps`; `_class_name` may be any class) are ignored, as diffusers
// ignores them. A value this implementation cannot reproduce is refused by name (file, field, value).
import type { SchedulerConfig } from '../schedulers/scheduler-config.js';
import { anyBoolean, inert, onlyDefault, positiveInt, positiveNumber, readFields, type FieldRule, type FieldTable } from './config-fields.js';

const nonNegativeInt = (defaultValue: number): FieldRule => ({
  default: defaultValue,
  check: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? null : 'supported: an integer ≥ 0'),
});

/** diffusers 0.42.1 DDIMScheduler.__init__, field by field (its defaults: what a missing field means). */
export const SCHEDULER_FIELDS: FieldTable = {
  num_train_timesteps: positiveInt(1000),
  beta_start: positiveNumber(0.0001),
  beta_end: positiveNumber(0.02),
  beta_schedule: { default: 'linear', check: (v) => (v === 'scaled_linear' ? null : 'supported: "scaled_linear" (the SD 1.x/2.x schedule)') },
  trained_betas: onlyDefault(null, 'betas follow beta_schedule'),
  clip_sample: anyBoolean(true),
  set_alpha_to_one: anyBoolean(true),
  steps_offset: nonNegativeInt(0),
  prediction_type: {
    default: 'epsilon',
    check: (v) => (v === 'epsilon' ? null : 'supported: "epsilon" (the UNet predicts the noise; v-prediction models such as SD 2.x at 768 px are not supported, SD 2.x "-base" models are epsilon)'),
  },
  thresholding: onlyDefault(false, 'SD 1.x/2.x do not use dynamic thresholding'),
  dynamic_thresholding_ratio: inert(0.995, 'only read with thresholding, which is refused'),
  clip_sample_range: positiveNumber(1),
  sample_max_value: inert(1, 'only read with thresholding, which is refused'),
  timestep_spacing: onlyDefault('leading', 'the spacing of SD 1.x/2.x and of the paper'),
  rescale_betas_zero_snr: onlyDefault(false, 'SD 1.x/2.x do not use it'),
};

/** Reads a scheduler config's parsed JSON; `file` names it in errors. */
export function schedulerConfigFromJson(json: unknown, file = 'scheduler/scheduler_config.json'): SchedulerConfig {
  const picked = typeof json === 'object' && json !== null && !Array.isArray(json) ? Object.fromEntries(Object.entries(json).filter(([k]) => k in SCHEDULER_FIELDS)) : json;
  const f = readFields(picked, file, 'DDIMScheduler', SCHEDULER_FIELDS);
  const trainSteps = f.num_train_timesteps as number;
  if (trainSteps < 2) throw new Error(`${file}: field 'num_train_timesteps' is ${trainSteps}; supported: 2 or more`);
  return {
    trainSteps,
    betaStart: f.beta_start as number,
    betaEnd: f.beta_end as number,
    stepsOffset: f.steps_offset as number,
    setAlphaToOne: f.set_alpha_to_one as boolean,
    clipSample: f.clip_sample as boolean,
    clipSampleRange: f.clip_sample_range as number,
  };
}
