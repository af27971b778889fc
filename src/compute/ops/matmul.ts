// matMul whose forward and gradients never pass transpose flags to the kernel. On tfjs-wasm, BatchMatMul with
// transposeA/transposeB is 5–15× slower than an explicit Transpose followed by a plain BatchMatMul (measured
// here and in node-ml-probe §1.3), and tfjs's built-in gradient of matMul uses exactly those flags
// (dA = dy·Bᵀ via transposeB, dB = Aᵀ·dy via transposeA). Operands whose batch dimensions differ (tfjs
// broadcasting) go to tf.matMul unchanged (whose gradient does not support broadcasting in tfjs 4.22).
import * as tf from '@tensorflow/tfjs-core';
import { lazyGradOp } from './lazy-grad.js';

function swapLast2(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  perm[x.rank - 2] = x.rank - 1;
  perm[x.rank - 1] = x.rank - 2;
  return tf.transpose(x, perm);
}

/** a: [..., m, k] (or [..., k, m] with transposeA); b: [..., k, n] (or [..., n, k] with transposeB). */
export function matMul<T extends tf.Tensor>(a: T, b: tf.Tensor, transposeA = false, transposeB = false): T {
  if (a.rank < 2 || a.rank !== b.rank || a.shape.slice(0, -2).join() !== b.shape.slice(0, -2).join()) {
    return tf.matMul(a, b, transposeA, transposeB) as T;
  }
  return lazyGradOp([a, b], ([aIn, bIn], save) => {
    save([aIn, bIn]);
    const A = transposeA ? swapLast2(aIn) : aIn;
    const B = transposeB ? swapLast2(bIn) : bIn;
    return {
      value: tf.matMul(A, B) as T,
      gradFunc: (dy, [aS, bS]) => [
        () => {
          const dA = tf.matMul(dy, transposeB ? bS! : swapLast2(bS!)); // dy·Bᵀ: [.., m, k]
          return transposeA ? swapLast2(dA) : dA;
        },
        () => {
          const dB = tf.matMul(transposeA ? aS! : swapLast2(aS!), dy); // Aᵀ·dy: [.., k, n]
          return transposeB ? swapLast2(dB) : dB;
        },
      ],
    };
  });
}
