import * as tf from '@tensorflow/tfjs-core';

/**
 * torch.nn.LayerNorm: normalise over the trailing `axes` (default the last one; [-2, -1] normalises jointly
 * over the last two, as LayerNorm([K, L])). gamma/beta have the shape of those trailing axes.
 */
export function layerNorm<T extends tf.Tensor>(x: T, gamma: tf.Tensor | null, beta: tf.Tensor | null, eps = 1e-5, axes: number[] = [-1]): T {
  const resolved = axes.map((a) => (a < 0 ? x.rank + a : a)).sort((a, b) => a - b);
  resolved.forEach((a, i) => {
    if (a !== x.rank - resolved.length + i) throw new Error(`layerNorm: axes [${axes}] must be the trailing axes of rank-${x.rank} input`);
  });
  const { mean, variance } = tf.moments(x, resolved, true);
  let y: tf.Tensor = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
  if (gamma) y = tf.mul(y, gamma);
  if (beta) y = tf.add(y, beta);
  return y as T;
}
