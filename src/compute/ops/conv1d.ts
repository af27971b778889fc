// PyTorch Conv1d on channels-last sequences, as a height-1 conv2d (so it shares the wasm-safe gradient).
import * as tf from '@tensorflow/tfjs-core';
import { conv2d } from './conv2d.js';

export interface Conv1dOptions {
  stride?: number;
  /** Zeros on both ends (PyTorch `padding=p`), 'same', or explicit [left, right]. */
  padding?: number | 'same' | 'valid' | [number, number];
  bias?: tf.Tensor1D;
}

/** x: [B, L, in]; w: [k, in, out] (torch [out, in, k] permuted). Output [B, ⌊(L + 2p − k)/s⌋ + 1, out]. */
export function conv1d(x: tf.Tensor3D, w: tf.Tensor3D, options: Conv1dOptions = {}): tf.Tensor3D {
  const [b, l, cin] = x.shape;
  const [k, wIn, cout] = w.shape;
  const stride = options.stride ?? 1;
  const p = options.padding ?? 0;
  const padding = typeof p === 'string' ? p : typeof p === 'number' ? ([[0, 0], [p, p]] as [[number, number], [number, number]]) : ([[0, 0], p] as [[number, number], [number, number]]);
  const y = conv2d(tf.reshape(x, [b, 1, l, cin]) as tf.Tensor4D, tf.reshape(w, [1, k, wIn, cout]) as tf.Tensor4D, {
    stride: [1, stride],
    padding,
    ...(options.bias ? { bias: options.bias } : {}),
  });
  return tf.reshape(y, [b, y.shape[2], cout]);
}
