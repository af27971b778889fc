// 2-D products and their helpers, shaped for tfjs-wasm's fast paths (bench/README.md, Model section):
// - BatchMatMul runs through XNNPACK only for a plain 2-D product (batch 1, no transpose flags); batched or
//   transposed forms take a scalar fallback that is 10–30× slower. tf.matMul's own gradient uses the
//   transpose flags, so matMul2d's gradient multiplies explicitly transposed operands instead. Each operand's
//   gradient is computed only when backprop needs it (lazy-grad.ts): a frozen weight costs no dW product.
// - The 2-D Transpose kernel is cache-hostile on tall matrices (19 ms for [8192,128]); the same permutation
//   written as a 3-D/4-D transpose of a reshaped view takes 3 ms. tf.sum over axis 0 transposes internally.
import * as tf from '@tensorflow/tfjs-core';
import { lazyGradOp } from './lazy-grad.js';

/** a: [M, K], b: [K, N] -> [M, N]; gradients are plain 2-D products of explicitly transposed operands. */
export function matMul2d(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (a.shape[1] !== b.shape[0]) throw new Error(`matMul2d: [${a.shape}] × [${b.shape}] inner dimensions differ`);
  return lazyGradOp([a, b], ([a2, b2], save) => {
    save([a2, b2]);
    return {
      value: tf.matMul(a2, b2) as tf.Tensor2D,
      gradFunc: (dy, [as, bs]) => [() => tf.matMul(dy, transpose2d(bs as tf.Tensor2D)), () => tf.matMul(transpose2d(as as tf.Tensor2D), dy)],
    };
  });
}

/** xᵀ for x: [R, C]; tall matrices go through a blocked higher-rank transpose (same values, faster on wasm). */
export function transpose2d(x: tf.Tensor2D): tf.Tensor2D {
  const [r, c] = x.shape;
  if (r < c || r % 8 !== 0) return tf.transpose(x);
  // x[r1·8 + r2, c] viewed as [r1, r2, c] (or [r1, r2, c1, c2]); moving the row axes last is the transpose.
  if (c % 8 === 0) return tf.reshape(tf.transpose(tf.reshape(x, [r / 8, 8, c / 8, 8]), [2, 3, 0, 1]), [c, r]);
  return tf.reshape(tf.transpose(tf.reshape(x, [r / 8, 8, c]), [2, 0, 1]), [c, r]);
}

/** Σ over rows of x: [R, C] -> [C], summing a [R/8, 8, C] view when it can (see transpose2d). */
export function sumRows(x: tf.Tensor2D): tf.Tensor1D {
  const [r, c] = x.shape;
  if (r < c || r % 8 !== 0) return tf.sum(x, 0);
  return tf.sum(tf.reshape(x, [r / 8, 8, c]), [0, 1]);
}

/** x: [M, N] + bias: [N], with the bias gradient summed by sumRows. */
export function addRowBias(x: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  if (x.shape[1] !== bias.shape[0]) throw new Error(`addRowBias: bias [${bias.shape}] does not match [${x.shape}]`);
  return lazyGradOp([x, bias], ([x2, b1]) => ({ value: tf.add(x2, b1) as tf.Tensor2D, gradFunc: (dy) => [() => dy, () => sumRows(dy)] }));
}
