// UNet hooks that make the batch [source, uncond, cond] reuse the source's features: at the chosen sites the
// self-attention Q and K (not V) and the resnet residual of chunks 1 and 2 are replaced by chunk 0's.
import * as tf from '@tensorflow/tfjs-core';
import type { UNetHooks } from '../noise-predictor.js';

export interface PnpHookOptions {
  selfAttnSites: readonly string[];
  residualSites: readonly string[];
  /** When false the hooks are no-ops (steps past the injection thresholds). */
  active: boolean;
}

/** Replaces every chunk of a batch of `chunks` equal parts by the first one. */
export function broadcastFirstChunk<T extends tf.Tensor>(x: T, chunks = 3): T {
  const b = x.shape[0]!;
  if (b % chunks !== 0) throw new Error(`PnP injection: batch ${b} is not ${chunks} equal chunks [source, uncond, cond]`);
  return tf.tidy(() => {
    const n = b / chunks;
    const first = tf.slice(x, 0, n);
    return tf.concat(new Array<tf.Tensor>(chunks).fill(first), 0) as T;
  });
}

export function pnpInjectionHooks(opts: PnpHookOptions): UNetHooks {
  const attn = new Set(opts.selfAttnSites);
  const res = new Set(opts.residualSites);
  return {
    selfAttentionQK(site, q, k) {
      if (!opts.active || !attn.has(site)) return { q, k };
      return { q: broadcastFirstChunk(q), k: broadcastFirstChunk(k) };
    },
    resnetResidual(site, h) {
      if (!opts.active || !res.has(site)) return h;
      return broadcastFirstChunk(h);
    },
  };
}
