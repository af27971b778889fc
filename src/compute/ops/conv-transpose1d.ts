// PyTorch ConvTranspose1d on channels-last sequences: zero-insert the input by the stride, pad, and run a
// stride-1 conv1d with the flipped kernel (so the gradient stays on wasm-safe kernels).
import * as tf from '@tensorflow/tfjs-core';
import { conv1d } from './conv1d.js';

export interface ConvTranspose1dOptions {
  stride?: number;
  padding?: number;
  outputPadding?: number;
  bias?: tf.Tensor1D;
}

/**
 * x: [B, L, in]; w: [k, out, in] (torch [in, out, k] permuted by [2, 1, 0]).
 * Output length (L − 1)·s − 2p + k + outputPadding, as torch.nn.ConvTranspose1d.
 */
export function convTranspose1d(x: tf.Tensor3D, w: tf.Tensor3D, options: ConvTranspose1dOptions = {}): tf.Tensor3D {
  const [b, l, cin] = x.shape;
  const [k, cout, wIn] = w.shape;
  if (wIn !== cin) throw new Error(`convTranspose1d: input has ${cin} channels but the filter [${w.shape}] expects ${wIn}`);
  const s = options.stride ?? 1;
  const p = options.padding ?? 0;
  const op = options.outputPadding ?? 0;
  if (!Number.isInteger(s) || s < 1) throw new Error(`convTranspose1d: stride must be a positive integer, got ${s}`);
  if (!Number.isInteger(p) || p < 0) throw new Error(`convTranspose1d: padding must be a non-negative integer, got ${p}`);
  if (!Number.isInteger(op) || op < 0 || op >= s) throw new Error(`convTranspose1d: outputPadding must be in [0, stride), got ${op}`);
  const outLen = (l - 1) * s - 2 * p + k + op;
  if (outLen < 1) throw new Error(`convTranspose1d: output length ${outLen} < 1 for L=${l}, k=${k}, stride=${s}, padding=${p}`);

  let z: tf.Tensor3D = x;
  if (s > 1) {
    const spread = tf.pad(tf.reshape(x, [b, l, 1, cin]), [[0, 0], [0, 0], [0, s - 1], [0, 0]]);
    z = tf.slice(tf.reshape(spread, [b, l * s, cin]) as tf.Tensor3D, [0, 0, 0], [b, (l - 1) * s + 1, cin]);
  }
  // Full correlation needs k−1 zeros each side; PyTorch's padding p crops p from each end of the result.
  const left = k - 1 - p;
  const right = k - 1 - p + op;
  const cropLeft = Math.max(-left, 0);
  const cropRight = Math.max(-right, 0);
  if (cropLeft > 0 || cropRight > 0) {
    z = tf.slice(z, [0, cropLeft, 0], [b, z.shape[1] - cropLeft - cropRight, cin]);
  }
  const wFlipped = tf.transpose(tf.reverse(w, [0]), [0, 2, 1]) as tf.Tensor3D; // [k, in, out]
  return conv1d(z, wFlipped, {
    padding: [Math.max(left, 0), Math.max(right, 0)],
    ...(options.bias ? { bias: options.bias } : {}),
  });
}
