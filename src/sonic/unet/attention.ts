// diffusers Attention (AttnProcessor2_0 path) on token sequences [B, N, C]: to_q/to_k/to_v, head split,
// softmax(q·kᵀ/√d)·v, to_out.0.
import * as tf from '@tensorflow/tfjs-core';
import { boundsAttentionMemory, mergeHeads, scaledDotProductAttention, splitHeads } from '../../compute/ops/index.js';
import type { UNetHooks } from '../noise-predictor.js';
import { joinKey, linearSpecs, type ParamLookup, type ParamSpec } from './param-spec.js';
import { dense } from './tensors.js';

export interface AttentionOptions {
  queryDim: number;
  /** Width of the context tokens; null for self-attention. */
  crossAttentionDim: number | null;
  heads: number;
  dimHead: number;
  /** Bias on to_q/to_k/to_v (false in the SD UNet and the audio adapters, true in the VAE). */
  qkvBias: boolean;
}

export class Attention {
  constructor(readonly prefix: string, readonly options: AttentionOptions) {}

  get innerDim(): number {
    return this.options.heads * this.options.dimHead;
  }

  specs(): ParamSpec[] {
    const { queryDim, crossAttentionDim, qkvBias } = this.options;
    const k = (n: string): string => joinKey(this.prefix, n);
    const contextDim = crossAttentionDim ?? queryDim;
    return [
      ...linearSpecs(k('to_q'), queryDim, this.innerDim, qkvBias),
      ...linearSpecs(k('to_k'), contextDim, this.innerDim, qkvBias),
      ...linearSpecs(k('to_v'), contextDim, this.innerDim, qkvBias),
      ...linearSpecs(k('to_out.0'), this.innerDim, queryDim, true),
    ];
  }

  /**
   * `context` undefined means self-attention; then `hooks.selfAttentionQK` (if any) may replace Q and K
   * right after their projections, with this module's path as the site. Runs in its own tf.tidy so the
   * [B, heads, N, N] scores are freed as soon as the layer is done (a hook that stores Q/K must tf.keep them).
   */
  forward(p: ParamLookup, x: tf.Tensor3D, context?: tf.Tensor3D, hooks?: UNetHooks): tf.Tensor3D {
    return tf.tidy(() => this.attend(p, x, context, hooks));
  }

  private attend(p: ParamLookup, x: tf.Tensor3D, context: tf.Tensor3D | undefined, hooks: UNetHooks | undefined): tf.Tensor3D {
    const { qkvBias, heads, crossAttentionDim } = this.options;
    const k = (n: string): string => joinKey(this.prefix, n);
    const source = context ?? x;
    const expected = crossAttentionDim ?? this.options.queryDim;
    if (source.shape[2] !== expected) {
      throw new Error(`${this.prefix}: context tokens have width ${source.shape[2]} but the layer expects ${expected}`);
    }
    let q = dense(p, k('to_q'), x, qkvBias);
    let key = dense(p, k('to_k'), source, qkvBias);
    const v = dense(p, k('to_v'), source, qkvBias);
    if (context === undefined && hooks?.selfAttentionQK) {
      const replaced = hooks.selfAttentionQK(this.prefix, q, key);
      q = replaced.q;
      key = replaced.k;
    }
    const out = chunkedAttention(splitHeads(q, heads), splitHeads(key, heads), splitHeads(v, heads));
    return dense(p, k('to_out.0'), mergeHeads(out), true);
  }
}

/**
 * Largest score tensor [B, heads, rows, Nk] built at once (2^24 floats = 64 MiB). Bigger ones are split
 * along the query axis: tfjs-wasm crashes ("memory access out of bounds") once its heap passes ~2 GiB, which
 * a [6, 8, 1024, 1024] score tensor and its softmax already approach; GPU backends gain the same headroom.
 * Not needed where the per-head path (wasm) or the fused kernels (webgpu) run: they never hold all the scores.
 */
const MAX_SCORE_ELEMENTS = 1 << 24;

export function chunkedAttention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, maxScoreElements = MAX_SCORE_ELEMENTS): tf.Tensor4D {
  const [b, heads, nq, d] = q.shape;
  const rows = Math.max(1, Math.floor(maxScoreElements / (b * heads * k.shape[2])));
  if (rows >= nq || boundsAttentionMemory(nq, k.shape[2])) return scaledDotProductAttention(q, k, v);
  const parts: tf.Tensor4D[] = [];
  for (let start = 0; start < nq; start += rows) {
    const size = Math.min(rows, nq - start);
    parts.push(tf.tidy(() => scaledDotProductAttention(tf.slice(q, [0, 0, start, 0], [b, heads, size, d]), k, v)));
  }
  return tf.concat(parts, 2);
}
