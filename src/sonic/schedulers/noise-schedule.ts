// The DDPM noise schedule: "scaled_linear" betas (linspace in √β, squared); SD's by default (1000 steps,
// β from 0.00085 to 0.012). ᾱ is accumulated in float64 and then rounded to float32, the precision
// diffusers stores and uses.
import * as tf from '@tensorflow/tfjs-core';
import { noiseScheduleOf, SD_SCHEDULER_CONFIG, type NoiseScheduleConfig } from './scheduler-config.js';

export type { NoiseScheduleConfig } from './scheduler-config.js';

/** The noise schedule of SD_SCHEDULER_CONFIG. */
export const SD_NOISE_SCHEDULE: NoiseScheduleConfig = Object.freeze(noiseScheduleOf(SD_SCHEDULER_CONFIG));

export class NoiseSchedule {
  /** ᾱ_t for t = 0..trainSteps-1 (float32 values). */
  readonly alphasCumprod: Float32Array;

  readonly config: NoiseScheduleConfig;

  /** Reads the noise-schedule fields of `config` (a whole SchedulerConfig may be given). */
  constructor(config: NoiseScheduleConfig = SD_NOISE_SCHEDULE) {
    this.config = noiseScheduleOf(config);
    const { trainSteps, betaStart, betaEnd } = this.config;
    if (!Number.isInteger(trainSteps) || trainSteps < 2) throw new Error(`noise schedule: trainSteps must be an integer ≥ 2, got ${trainSteps}`);
    const s0 = Math.sqrt(betaStart);
    const s1 = Math.sqrt(betaEnd);
    this.alphasCumprod = new Float32Array(trainSteps);
    let prod = 1;
    for (let t = 0; t < trainSteps; t++) {
      const sqrtBeta = Math.fround(s0 + ((s1 - s0) * t) / (trainSteps - 1));
      const beta = Math.fround(sqrtBeta * sqrtBeta);
      prod *= Math.fround(1 - beta);
      this.alphasCumprod[t] = prod;
    }
  }

  get trainSteps(): number {
    return this.config.trainSteps;
  }

  alphaBar(t: number): number {
    if (!Number.isInteger(t) || t < 0 || t >= this.trainSteps) throw new Error(`timestep ${t} outside 0..${this.trainSteps - 1}`);
    return this.alphasCumprod[t]!;
  }

  /** DDPM forward process: √ᾱ_t·x0 + √(1−ᾱ_t)·ε, with one t per sample (NHWC batch). */
  addNoise(x0: tf.Tensor4D, eps: tf.Tensor4D, t: number | number[]): tf.Tensor4D {
    const ts = typeof t === 'number' ? new Array<number>(x0.shape[0]).fill(t) : t;
    if (ts.length !== x0.shape[0]) throw new Error(`addNoise: ${ts.length} timesteps for a batch of ${x0.shape[0]}`);
    return tf.tidy(() => {
      const a = ts.map((v) => this.alphaBar(v));
      const sa = tf.tensor4d(a.map(Math.sqrt), [ts.length, 1, 1, 1]);
      const sb = tf.tensor4d(a.map((v) => Math.sqrt(1 - v)), [ts.length, 1, 1, 1]);
      return tf.add(tf.mul(sa, x0), tf.mul(sb, eps));
    });
  }
}
