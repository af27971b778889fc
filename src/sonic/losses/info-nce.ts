// Class-based InfoNCE for stage 1 (spec §5.2): per anchor, one same-class positive and N negatives from
// other classes; L = −log[exp(s(a,p)/τ) / (exp(s(a,p)/τ) + Σ_k exp(s(a,n_k)/τ))], averaged over anchors.
// The spec leaves τ, the similarity and the token pooling open (NOT FOUND). Choices here: cosine
// similarity; τ a required parameter; tokens pooled by their mean (default: invariant to K, comparable
// across the single-token ablation) or flattened (K·W-long vectors, the other reading).
import * as tf from '@tensorflow/tfjs-core';

export type TokenPooling = 'mean' | 'flatten';

export interface InfoNceOptions {
  temperature: number;
  pooling?: TokenPooling;
}

/** [..., K, W] tokens -> [..., W] (mean) or [..., K·W] (flatten). */
export function poolTokens(tokens: tf.Tensor, pooling: TokenPooling): tf.Tensor {
  if (pooling === 'mean') return tf.mean(tokens, -2);
  const s = tokens.shape;
  return tf.reshape(tokens, [...s.slice(0, -2), s[s.length - 2]! * s[s.length - 1]!]);
}

function l2normalise(x: tf.Tensor): tf.Tensor {
  // F.normalize: x / max(‖x‖, 1e-12)
  return tf.div(x, tf.maximum(tf.sqrt(tf.sum(tf.square(x), -1, true)), 1e-12));
}

/**
 * anchor, positive: [B, K, W] tokens; negatives: [B, N, K, W]. Returns the mean InfoNCE loss (scalar).
 */
export function infoNceLoss(anchor: tf.Tensor3D, positive: tf.Tensor3D, negatives: tf.Tensor4D, opts: InfoNceOptions): tf.Scalar {
  const pooling = opts.pooling ?? 'mean';
  if (!(opts.temperature > 0)) throw new Error(`InfoNCE: temperature must be > 0, got ${opts.temperature}`);
  if (anchor.shape.join() !== positive.shape.join()) throw new Error(`InfoNCE: anchor [${anchor.shape}] and positive [${positive.shape}] differ`);
  if (negatives.shape[0] !== anchor.shape[0] || negatives.shape.slice(2).join() !== anchor.shape.slice(1).join()) {
    throw new Error(`InfoNCE: negatives must be [B, N, ${anchor.shape.slice(1)}], got [${negatives.shape}]`);
  }
  return tf.tidy(() => {
    const a = l2normalise(poolTokens(anchor, pooling)); // [B, D]
    const p = l2normalise(poolTokens(positive, pooling));
    const n = l2normalise(poolTokens(negatives, pooling)); // [B, N, D]
    const pos = tf.sum(tf.mul(a, p), -1, true); // [B, 1]
    const neg = tf.squeeze(tf.matMul(n, tf.expandDims(a, 2)), [2]); // [B, N]
    const logits = tf.div(tf.concat([pos, neg], 1), opts.temperature);
    const logProb = tf.logSoftmax(logits, 1);
    return tf.neg(tf.mean(tf.slice(logProb, [0, 0], [-1, 1]))) as tf.Scalar;
  });
}
