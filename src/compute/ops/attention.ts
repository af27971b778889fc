import * as tf from '@tensorflow/tfjs-core';
import { matMul } from './matmul.js';

export interface AttentionOptions {
  /** Defaults to 1/√d. */
  scale?: number;
  /** Added to the scores before the softmax; broadcastable to [B, heads, Nq, Nk]. */
  bias?: tf.Tensor;
}

/** softmax(q·kᵀ·scale + bias)·v with q: [B, heads, Nq, d], k/v: [B, heads, Nk, d]. */
export function scaledDotProductAttention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, options: AttentionOptions = {}): tf.Tensor4D {
  const d = q.shape[3];
  const scale = options.scale ?? 1 / Math.sqrt(d);
  let scores: tf.Tensor4D = matMul(tf.mul(q, scale) as tf.Tensor4D, k, false, true);
  if (options.bias) scores = tf.add(scores, options.bias);
  return matMul(tf.softmax(scores) as tf.Tensor4D, v);
}

/** [B, N, heads·d] -> [B, heads, N, d] (diffusers head_to_batch_dim order). */
export function splitHeads(x: tf.Tensor3D, heads: number): tf.Tensor4D {
  const [b, n, inner] = x.shape;
  if (inner % heads !== 0) throw new Error(`splitHeads: inner dim ${inner} is not divisible by ${heads} heads`);
  return tf.transpose(tf.reshape(x, [b, n, heads, inner / heads]), [0, 2, 1, 3]);
}

/** [B, heads, N, d] -> [B, N, heads·d]. */
export function mergeHeads(x: tf.Tensor4D): tf.Tensor3D {
  const [b, h, n, d] = x.shape;
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [b, n, h * d]);
}
