// DDIM inversion (spec §7.1): walk the sampling timesteps backwards (1, 21, …, 981 for 50 steps), each time
// predicting x0 with the previous ᾱ (at the first step the scheduler's final ᾱ: ᾱ_0 for SD) and re-noising
// to ᾱ_t with the same ε.
// No guidance: one predictor call per step with the given (usually empty-prompt) text tokens.
import * as tf from '@tensorflow/tfjs-core';
import type { NoisePredictor } from '../noise-predictor.js';
import { DdimScheduler } from './ddim.js';

export interface InversionOptions {
  steps: number;
  textTokens: tf.Tensor3D;
  audioTokens?: tf.Tensor3D;
  scheduler?: DdimScheduler;
  /** Called after each step (e.g. progress); `index` counts from 0. */
  onStep?: (index: number, t: number) => void;
}

/** Returns z_t for every sampling timestep t, keyed by t. The caller owns (and disposes) the tensors. */
export function ddimInvert(predictor: NoisePredictor, z0: tf.Tensor4D, opts: InversionOptions): Map<number, tf.Tensor4D> {
  const scheduler = opts.scheduler ?? new DdimScheduler();
  const forward = [...scheduler.setTimesteps(opts.steps)].reverse();
  const text = tileBatch(opts.textTokens, z0.shape[0]);
  const audio = opts.audioTokens ? tileBatch(opts.audioTokens, z0.shape[0]) : undefined;
  const out = new Map<number, tf.Tensor4D>();
  let z = z0;
  forward.forEach((t, i) => {
    const aT = scheduler.schedule.alphaBar(t);
    const aPrev = i > 0 ? scheduler.schedule.alphaBar(forward[i - 1]!) : scheduler.finalAlphaBar;
    const next = tf.tidy(() => {
      const eps = predictor.predict({ sample: z, timestep: t, textTokens: text, ...(audio ? { audioTokens: audio } : {}) });
      const x0 = tf.div(tf.sub(z, tf.mul(eps, Math.sqrt(1 - aPrev))), Math.sqrt(aPrev));
      return tf.add(tf.mul(x0, Math.sqrt(aT)), tf.mul(eps, Math.sqrt(1 - aT))) as tf.Tensor4D;
    });
    out.set(t, next);
    z = next;
    opts.onStep?.(i, t);
  });
  if (text !== opts.textTokens) text.dispose();
  if (audio && audio !== opts.audioTokens) audio.dispose();
  return out;
}

/** Repeats a [1, …] conditioning tensor to batch `b`; returns it unchanged if it already has batch b. */
export function tileBatch<T extends tf.Tensor>(x: T, b: number): T {
  if (x.shape[0] === b) return x;
  if (x.shape[0] !== 1) throw new Error(`conditioning batch ${x.shape[0]} does not match sample batch ${b}`);
  return tf.tile(x, [b, ...new Array<number>(x.rank - 1).fill(1)]) as T;
}
