// Audio-guided Plug-and-Play editing (spec §7.2). Each step predicts ε for the batch of 3
//   latents [z_src_t, x, x], text [T_src(""), T_neg, T_prompt], audio [A_null, A_null, A]
// with Q/K and residual injection from chunk 0 during the first int(steps·τ) steps, drops the source
// part, applies CFG to (uncond, cond) and takes a DDIM step on x.
import * as tf from '@tensorflow/tfjs-core';
import type { NoisePredictor } from '../noise-predictor.js';
import { DdimScheduler } from '../schedulers/ddim.js';
import { combineGuidance } from '../guidance/cfg-sampler.js';
import { pnpInjectionHooks } from './pnp-hooks.js';
import type { PnpSites } from './pnp-sites.js';

export interface PnpEditOptions {
  /** Source latents z_t from ddimInvert, for every sampling timestep of `steps`. */
  invertedLatents: ReadonlyMap<number, tf.Tensor4D>;
  sourceTextTokens: tf.Tensor3D; // the inversion prompt's tokens (T(""))
  negativeTextTokens: tf.Tensor3D; // T(negative prompt), "" by default in SonicDiffusion
  textTokens: tf.Tensor3D; // T(prompt), T("") for audio-only edits
  audioTokens: tf.Tensor3D;
  nullAudioTokens: tf.Tensor3D;
  sites: PnpSites;
  /** Fractions of the steps with Q/K (tauAttn) and residual (tauFeat) injection; demo defaults 0.8 / 0.8. */
  tauAttn: number;
  tauFeat: number;
  guidanceScale: number;
  steps: number;
  scheduler?: DdimScheduler;
  onStep?: (index: number, t: number) => void;
}

/** Number of leading steps with injection: int(steps·τ). */
export function injectionSteps(steps: number, tau: number): number {
  if (!(tau >= 0 && tau <= 1)) throw new Error(`PnP: threshold must be in [0, 1], got ${tau}`);
  return Math.floor(steps * tau + 1e-9);
}

/** Returns the edited latents z_0 (caller disposes). */
export function pnpEdit(predictor: NoisePredictor, opts: PnpEditOptions): tf.Tensor4D {
  const scheduler = opts.scheduler ?? new DdimScheduler();
  const timesteps = scheduler.setTimesteps(opts.steps);
  const attnSteps = injectionSteps(opts.steps, opts.tauAttn);
  const featSteps = injectionSteps(opts.steps, opts.tauFeat);
  const source = (t: number) => {
    const z = opts.invertedLatents.get(t);
    if (!z) throw new Error(`PnP: no inverted latent for timestep ${t}; invert with the same number of steps (${opts.steps})`);
    return z;
  };
  let x = tf.clone(source(timesteps[0]!));
  const b = x.shape[0];
  const rep = (c: tf.Tensor3D) => (c.shape[0] === b ? c : tf.tile(c, [b, 1, 1]));
  timesteps.forEach((t, i) => {
    const next = tf.tidy(() => {
      const hooks = pnpInjectionHooks({
        selfAttnSites: i < attnSteps ? opts.sites.selfAttnSites : [],
        residualSites: i < featSteps ? opts.sites.residualSites : [],
        active: i < attnSteps || i < featSteps,
      });
      const eps = predictor.predict({
        sample: tf.concat([source(t), x, x], 0),
        timestep: t,
        textTokens: tf.concat([rep(opts.sourceTextTokens), rep(opts.negativeTextTokens), rep(opts.textTokens)], 0),
        audioTokens: tf.concat([rep(opts.nullAudioTokens), rep(opts.nullAudioTokens), rep(opts.audioTokens)], 0),
        hooks,
      });
      const [, eu, ec] = tf.split(eps, 3, 0) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      return scheduler.step(combineGuidance(eu, ec, opts.guidanceScale), t, x).prevSample;
    });
    x.dispose();
    x = next;
    opts.onStep?.(i, t);
  });
  return x;
}
