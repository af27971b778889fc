import * as tf from '@tensorflow/tfjs-core';

/**
 * torch.nn.GroupNorm on channels-last input [N, ..., C] (NHWC or [N, L, C]): biased variance per
 * (sample, group) over all positions and the group's channels; gamma/beta are [C].
 */
export function groupNorm<T extends tf.Tensor>(x: T, groups: number, gamma: tf.Tensor1D | null, beta: tf.Tensor1D | null, eps = 1e-5): T {
  if (x.rank < 2) throw new Error(`groupNorm: expected [N, ..., C], got shape [${x.shape}]`);
  const n = x.shape[0]!;
  const c = x.shape[x.rank - 1]!;
  if (c % groups !== 0) throw new Error(`groupNorm: ${c} channels are not divisible into ${groups} groups`);
  const grouped = tf.reshape(x, [n, -1, groups, c / groups]);
  const { mean, variance } = tf.moments(grouped, [1, 3], true);
  const normed = tf.mul(tf.sub(grouped, mean), tf.rsqrt(tf.add(variance, eps)));
  let y: tf.Tensor = tf.reshape(normed, x.shape);
  if (gamma) y = tf.mul(y, gamma);
  if (beta) y = tf.add(y, beta);
  return y as T;
}
