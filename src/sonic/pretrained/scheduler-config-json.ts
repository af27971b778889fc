// A diffusers scheduler/scheduler_config.json -> the noise schedule the UNet was trained with. Only the
// fields that define the diffusion process are read; the rest (clip_sample, steps_offset, skip_prk_steps,
// timestep_spacing, …) configure the sampler class shipped with the weights (PNDM for SD 1.4), while the
// method samples with its own DDIM (η = 0, "leading" spacing, steps_offset 1, as in the paper's code).
import type { NoiseScheduleConfig } from '../schedulers/noise-schedule.js';
import { onlyDefault, positiveInt, positiveNumber, readFields, type FieldTable } from './config-fields.js';

/** The diffusion-process fields of diffusers' DDPM-family schedulers (defaults as in DDPMScheduler / DDIMScheduler). */
export const SCHEDULER_FIELDS: FieldTable = {
  num_train_timesteps: positiveInt(1000),
  beta_start: positiveNumber(0.0001),
  beta_end: positiveNumber(0.02),
  beta_schedule: { default: 'linear', check: (v) => (v === 'scaled_linear' ? null : 'supported: "scaled_linear" (the SD 1.x/2.x schedule)') },
  trained_betas: onlyDefault(null, 'betas follow beta_schedule'),
  prediction_type: {
    default: 'epsilon',
    check: (v) => (v === 'epsilon' ? null : 'supported: "epsilon" (the UNet predicts the noise; v-prediction models such as SD 2.x at 768 px are not supported, SD 2.x "-base" models are epsilon)'),
  },
  rescale_betas_zero_snr: onlyDefault(false, 'SD 1.x/2.x do not use it'),
};

/** Reads a scheduler config's parsed JSON; `file` names it in errors. */
export function noiseScheduleFromJson(json: unknown, file = 'scheduler/scheduler_config.json'): NoiseScheduleConfig {
  const picked = typeof json === 'object' && json !== null && !Array.isArray(json) ? Object.fromEntries(Object.entries(json).filter(([k]) => k in SCHEDULER_FIELDS)) : json;
  const f = readFields(picked, file, 'scheduler', SCHEDULER_FIELDS);
  const trainSteps = f.num_train_timesteps as number;
  if (trainSteps < 2) throw new Error(`${file}: field 'num_train_timesteps' is ${trainSteps}; supported: 2 or more`);
  return { trainSteps, betaStart: f.beta_start as number, betaEnd: f.beta_end as number };
}
