// Deterministic DDIM (η = 0), diffusers' DDIMScheduler with "leading" timestep spacing: steps_offset,
// set_alpha_to_one and clip_sample come from the scheduler config (SD's by default: steps_offset 1,
// set_alpha_to_one false, so the step past t = 0 uses ᾱ_0, no sample clipping).
import * as tf from '@tensorflow/tfjs-core';
import { NoiseSchedule } from './noise-schedule.js';
import { ddimConfigOf, SD_SCHEDULER_CONFIG, type DdimConfig, type SchedulerConfig } from './scheduler-config.js';

export interface DdimStepResult {
  prevSample: tf.Tensor4D;
  predOriginal: tf.Tensor4D;
}

export class DdimScheduler {
  readonly settings: DdimConfig;
  private ts: number[] = [];

  /** A DDIM on `schedule` with the DDIM fields of `settings` (a whole SchedulerConfig may be given). */
  constructor(
    readonly schedule: NoiseSchedule = new NoiseSchedule(),
    settings: DdimConfig = SD_SCHEDULER_CONFIG,
  ) {
    this.settings = ddimConfigOf(settings);
    const { stepsOffset, clipSampleRange } = this.settings;
    if (!Number.isInteger(stepsOffset) || stepsOffset < 0) throw new Error(`DDIM: stepsOffset must be an integer ≥ 0, got ${stepsOffset}`);
    if (!(clipSampleRange > 0)) throw new Error(`DDIM: clipSampleRange must be positive, got ${clipSampleRange}`);
  }

  /** The noise schedule and DDIM settings of one scheduler config (e.g. a diffusers scheduler_config.json's). */
  static fromConfig(config: SchedulerConfig): DdimScheduler {
    return new DdimScheduler(new NoiseSchedule(config), config);
  }

  get stepsOffset(): number {
    return this.settings.stepsOffset;
  }

  /** ᾱ past the last step (diffusers' final_alpha_cumprod): 1 with set_alpha_to_one, else ᾱ_0. */
  get finalAlphaBar(): number {
    return this.settings.setAlphaToOne ? 1 : this.schedule.alphaBar(0);
  }

  /** Sets and returns the sampling timesteps, noisiest first (SD, 50 steps: 981, 961, …, 1). */
  setTimesteps(steps: number): number[] {
    const train = this.schedule.trainSteps;
    if (!Number.isInteger(steps) || steps < 1 || steps > train) throw new Error(`DDIM: steps must be an integer in 1..${train}, got ${steps}`);
    const ratio = Math.floor(train / steps);
    const first = (steps - 1) * ratio + this.stepsOffset;
    if (first >= train) throw new Error(`DDIM: steps_offset ${this.stepsOffset} with ${steps} steps starts at timestep ${first}, past the last training timestep ${train - 1}`);
    this.ts = Array.from({ length: steps }, (_, i) => (steps - 1 - i) * ratio + this.stepsOffset);
    return [...this.ts];
  }

  get timesteps(): readonly number[] {
    return this.ts;
  }

  /** The timestep the step from `t` lands on (negative past the end). */
  previousTimestep(t: number): number {
    if (this.ts.length === 0) throw new Error('DDIM: call setTimesteps before step');
    return t - Math.floor(this.schedule.trainSteps / this.ts.length);
  }

  /** ᾱ for a timestep, with finalAlphaBar standing in for t < 0. */
  alphaBarOrFinal(t: number): number {
    return t >= 0 ? this.schedule.alphaBar(t) : this.finalAlphaBar;
  }

  step(eps: tf.Tensor4D, t: number, sample: tf.Tensor4D): DdimStepResult {
    const aT = this.schedule.alphaBar(t);
    const aPrev = this.alphaBarOrFinal(this.previousTimestep(t));
    const { clipSample, clipSampleRange } = this.settings;
    return tf.tidy(() => {
      const x0 = tf.div(tf.sub(sample, tf.mul(eps, Math.sqrt(1 - aT))), Math.sqrt(aT)) as tf.Tensor4D;
      const predOriginal = clipSample ? tf.clipByValue(x0, -clipSampleRange, clipSampleRange) : x0;
      const prevSample = tf.add(tf.mul(predOriginal, Math.sqrt(aPrev)), tf.mul(eps, Math.sqrt(1 - aPrev))) as tf.Tensor4D;
      return { prevSample, predOriginal };
    });
  }
}
