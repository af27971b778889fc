// Deterministic DDIM (η = 0) with the SD-1.4 scheduler settings: "leading" timestep spacing,
// steps_offset 1, set_alpha_to_one false (the step past t = 0 uses ᾱ_0), no sample clipping.
import * as tf from '@tensorflow/tfjs-core';
import { NoiseSchedule } from './noise-schedule.js';

export interface DdimStepResult {
  prevSample: tf.Tensor4D;
  predOriginal: tf.Tensor4D;
}

export class DdimScheduler {
  readonly stepsOffset = 1;
  private ts: number[] = [];

  constructor(readonly schedule: NoiseSchedule = new NoiseSchedule()) {}

  /** Sets and returns the sampling timesteps, noisiest first (50 steps: 981, 961, …, 1). */
  setTimesteps(steps: number): number[] {
    const train = this.schedule.trainSteps;
    if (!Number.isInteger(steps) || steps < 1 || steps > train) throw new Error(`DDIM: steps must be an integer in 1..${train}, got ${steps}`);
    const ratio = Math.floor(train / steps);
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

  /** ᾱ for a timestep, with ᾱ_0 standing in for t < 0 (set_alpha_to_one = false). */
  alphaBarOrFinal(t: number): number {
    return t >= 0 ? this.schedule.alphaBar(t) : this.schedule.alphaBar(0);
  }

  step(eps: tf.Tensor4D, t: number, sample: tf.Tensor4D): DdimStepResult {
    const aT = this.schedule.alphaBar(t);
    const aPrev = this.alphaBarOrFinal(this.previousTimestep(t));
    return tf.tidy(() => {
      const predOriginal = tf.div(tf.sub(sample, tf.mul(eps, Math.sqrt(1 - aT))), Math.sqrt(aT)) as tf.Tensor4D;
      const prevSample = tf.add(tf.mul(predOriginal, Math.sqrt(aPrev)), tf.mul(eps, Math.sqrt(1 - aPrev))) as tf.Tensor4D;
      return { prevSample, predOriginal };
    });
  }
}
