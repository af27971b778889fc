import * as tf from '@tensorflow/tfjs-core';
import { wasmFusedGroupNorm } from '../wasm-kernels/group-norm.js';
import { onWasmKernels } from '../wasm-kernels/module.js';

/**
 * torch.nn.LayerNorm: normalise over the trailing `axes` (default the last one; [-2, -1] normalises jointly
 * over the last two, as LayerNorm([K, L])). gamma/beta have the shape of those trailing axes.
 * On wasm this is the fused GroupNorm kernel with one group per row: x viewed as [rows, 1, K·L].
 */
export function layerNorm<T extends tf.Tensor>(x: T, gamma: tf.Tensor | null, beta: tf.Tensor | null, eps = 1e-5, axes: number[] = [-1]): T {
  const resolved = axes.map((a) => (a < 0 ? x.rank + a : a)).sort((a, b) => a - b);
  resolved.forEach((a, i) => {
    if (a !== x.rank - resolved.length + i) throw new Error(`layerNorm: axes [${axes}] must be the trailing axes of rank-${x.rank} input`);
  });
  if (x.dtype === 'float32' && onWasmKernels()) return fusedLayerNorm(x, resolved.length, gamma, beta, eps);
  const { mean, variance } = tf.moments(x, resolved, true);
  let y: tf.Tensor = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
  if (gamma) y = tf.mul(y, gamma);
  if (beta) y = tf.add(y, beta);
  return y as T;
}

function fusedLayerNorm<T extends tf.Tensor>(x: T, trailing: number, gamma: tf.Tensor | null, beta: tf.Tensor | null, eps: number): T {
  const width = x.shape.slice(x.rank - trailing).reduce((a, b) => a * b, 1);
  const rows = x.size / width;
  const flat = (t: tf.Tensor | null, fill: number): tf.Tensor1D => (t ? tf.reshape(t, [width]) : tf.fill([width], fill));
  const y = wasmFusedGroupNorm(tf.reshape(x, [rows, 1, width]), 1, flat(gamma, 1), flat(beta, 0), eps, false);
  return tf.reshape(y, x.shape) as T;
}
