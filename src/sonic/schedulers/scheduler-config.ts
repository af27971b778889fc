// The diffusion scheduler's settings: the noise schedule the UNet was trained with and the DDIM sampler's
// settings, named after the fields of diffusers' DDIMScheduler config. SD_SCHEDULER_CONFIG is the one place
// the SD defaults live: CompVis/stable-diffusion-v1-4's scheduler/scheduler_config.json as
// DDIMScheduler.from_pretrained reads it (what the paper's code does, spec §6). A diffusers directory's own
// scheduler_config.json replaces it (src/sonic/pretrained/scheduler-config-json.ts).

/** The DDPM forward process: "scaled_linear" betas (linspace in √β, squared) over trainSteps steps. */
export interface NoiseScheduleConfig {
  /** num_train_timesteps */
  trainSteps: number;
  /** beta_start */
  betaStart: number;
  /** beta_end */
  betaEnd: number;
}

/** Deterministic DDIM (η = 0) with "leading" timestep spacing. */
export interface DdimConfig {
  /** steps_offset: added to every sampling timestep (SD: 1, so 50 steps run 981, 961, …, 1). */
  stepsOffset: number;
  /** set_alpha_to_one: the step past t = 0 lands on ᾱ = 1 (true) or on ᾱ_0 (false, SD); DDIM inversion starts there. */
  setAlphaToOne: boolean;
  /** clip_sample: clip the predicted x0 to ±clipSampleRange in each step. */
  clipSample: boolean;
  /** clip_sample_range */
  clipSampleRange: number;
}

export interface SchedulerConfig extends NoiseScheduleConfig, DdimConfig {}

export const SD_SCHEDULER_CONFIG: Readonly<SchedulerConfig> = Object.freeze({
  trainSteps: 1000,
  betaStart: 0.00085,
  betaEnd: 0.012,
  stepsOffset: 1,
  setAlphaToOne: false,
  clipSample: false,
  clipSampleRange: 1,
});

/** The noise-schedule part of a scheduler config. */
export function noiseScheduleOf(c: NoiseScheduleConfig): NoiseScheduleConfig {
  return { trainSteps: c.trainSteps, betaStart: c.betaStart, betaEnd: c.betaEnd };
}

/** The DDIM part of a scheduler config. */
export function ddimConfigOf(c: DdimConfig): DdimConfig {
  return { stepsOffset: c.stepsOffset, setAlphaToOne: c.setAlphaToOne, clipSample: c.clipSample, clipSampleRange: c.clipSampleRange };
}
