import * as tf from '@tensorflow/tfjs-core';

/**
 * torch.nn.utils.clip_grad_norm_: scales every gradient by min(1, maxNorm / (‖g‖₂ + 1e-6)) where ‖g‖₂ is the
 * norm over all gradients together. Returns the clipped map (new tensors; the input map is disposed) and the
 * total norm before clipping.
 */
export function clipGradNorm(grads: tf.NamedTensorMap, maxNorm: number): { grads: tf.NamedTensorMap; totalNorm: number } {
  const entries = Object.entries(grads).filter(([, g]) => g != null);
  if (entries.length === 0) return { grads, totalNorm: 0 };
  const totalNorm = tf.tidy(() => tf.sqrt(tf.addN(entries.map(([, g]) => tf.sum(tf.square(g))))).dataSync()[0]!);
  const coef = maxNorm / (totalNorm + 1e-6);
  if (coef >= 1) return { grads, totalNorm };
  const clipped: tf.NamedTensorMap = {};
  for (const [name, g] of entries) clipped[name] = tf.mul(g, coef);
  tf.dispose(entries.map(([, g]) => g));
  return { grads: clipped, totalNorm };
}
