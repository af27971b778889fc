// Classifier-free guidance over the joint text+audio condition (spec §6): one predictor call on the batch
// [uncond, cond] with text [T(""), T(prompt)] and audio [A_null, A], then ε = ε_u + s·(ε_c − ε_u) and a
// DDIM step. Audio mixing and volume are inputs (different audio tokens), not sampler modes.
import * as tf from '@tensorflow/tfjs-core';
import { seededNormal } from '../../compute/seeded-normal.js';
import type { NoisePredictor } from '../noise-predictor.js';
import { DdimScheduler } from '../schedulers/ddim.js';
import { tileBatch } from '../schedulers/ddim-inversion.js';

export interface GuidedSampleOptions {
  /** Initial noise z_T, NHWC. When absent, drawn from N(0, 1) with `seed` and `latentShape`. */
  latents?: tf.Tensor4D;
  latentShape?: [number, number, number, number];
  seed?: number;
  textTokens: tf.Tensor3D; // [1 or B, L, D]
  nullTextTokens: tf.Tensor3D; // T("") [1 or B, L, D]
  /** Audio tokens [1 or B, K, W]; omit both audio fields for text-only guidance (adapters off). */
  audioTokens?: tf.Tensor3D;
  nullAudioTokens?: tf.Tensor3D;
  steps?: number; // default 50
  guidanceScale?: number; // default 8
  scheduler?: DdimScheduler;
  onStep?: (index: number, t: number) => void;
}

/** ε_u + s·(ε_c − ε_u). */
export function combineGuidance(epsUncond: tf.Tensor4D, epsCond: tf.Tensor4D, scale: number): tf.Tensor4D {
  return tf.tidy(() => tf.add(epsUncond, tf.mul(tf.sub(epsCond, epsUncond), scale)) as tf.Tensor4D);
}

/** One guided ε for the batch `x` (B samples): predicts on [x, x] with [uncond, cond] conditioning. */
export function guidedEpsilon(
  predictor: NoisePredictor,
  x: tf.Tensor4D,
  t: number,
  cond: { text: tf.Tensor3D; nullText: tf.Tensor3D; audio?: tf.Tensor3D; nullAudio?: tf.Tensor3D },
  scale: number,
): tf.Tensor4D {
  return tf.tidy(() => {
    const b = x.shape[0];
    const text = tf.concat([tileBatch(cond.nullText, b), tileBatch(cond.text, b)], 0);
    const audio = cond.audio && cond.nullAudio ? tf.concat([tileBatch(cond.nullAudio, b), tileBatch(cond.audio, b)], 0) : undefined;
    const eps = predictor.predict({ sample: tf.concat([x, x], 0), timestep: t, textTokens: text, ...(audio ? { audioTokens: audio } : {}) });
    const [eu, ec] = tf.split(eps, 2, 0) as [tf.Tensor4D, tf.Tensor4D];
    return combineGuidance(eu, ec, scale);
  });
}

/** DDIM sampling with CFG; returns the final latents z_0 (caller disposes). */
export function sample(predictor: NoisePredictor, opts: GuidedSampleOptions): tf.Tensor4D {
  if ((opts.audioTokens === undefined) !== (opts.nullAudioTokens === undefined)) {
    throw new Error('guided sampling: give both audioTokens and nullAudioTokens, or neither');
  }
  const steps = opts.steps ?? 50;
  const scale = opts.guidanceScale ?? 8;
  const scheduler = opts.scheduler ?? new DdimScheduler();
  let x: tf.Tensor4D;
  if (opts.latents) x = tf.clone(opts.latents);
  else if (opts.latentShape) x = seededNormal<tf.Rank.R4>(opts.latentShape, opts.seed ?? 0);
  else throw new Error('guided sampling: give latents or latentShape');
  const cond = { text: opts.textTokens, nullText: opts.nullTextTokens, ...(opts.audioTokens ? { audio: opts.audioTokens, nullAudio: opts.nullAudioTokens! } : {}) };
  scheduler.setTimesteps(steps).forEach((t, i) => {
    const next = tf.tidy(() => {
      const eps = guidedEpsilon(predictor, x, t, cond, scale);
      return scheduler.step(eps, t, x).prevSample;
    });
    x.dispose();
    x = next;
    opts.onStep?.(i, t);
  });
  return x;
}
