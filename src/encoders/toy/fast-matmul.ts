// matMul whose gradients avoid tfjs-wasm's transposed BatchMatMul, which runs ~20–40× slower than the
// untransposed kernel at the toy encoders' sizes ([1024,64]·[256,64]ᵀ: ~30 ms vs ~1 ms). The transposes are
// materialised with tf.transpose (a cheap copy) so every product goes through the fast path.
import * as tf from '@tensorflow/tfjs-core';

function swapLast2(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  const r = x.rank;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
  return tf.transpose(x, perm);
}

const product = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor, tf.Tensor];
      return [tf.matMul(dy, swapLast2(sb)), tf.matMul(swapLast2(sa), dy)];
    },
  };
});

/** a·b for a [..., m, k] and b [..., k, n] with equal batch dims (no broadcasting). */
export function matMulFast<T extends tf.Tensor>(a: T, b: tf.Tensor): T {
  if (a.rank !== b.rank || a.shape.slice(0, -2).join() !== b.shape.slice(0, -2).join()) {
    throw new Error(`matMulFast: batch dims of [${a.shape}] and [${b.shape}] differ`);
  }
  return product(a, b) as T;
}

/** a·bᵀ over the last two axes. */
export function matMulTransposedB<T extends tf.Tensor>(a: T, b: tf.Tensor): T {
  return matMulFast(a, swapLast2(b));
}

/** y = x·W (+ b) over the last axis; x rank 2 or 3, W [in, out]. */
export function linearFast<T extends tf.Tensor2D | tf.Tensor3D>(x: T, w: tf.Tensor, b?: tf.Tensor | null): T {
  const inDim = x.shape[x.rank - 1]!;
  if (w.shape[0] !== inDim) throw new Error(`linear: input last dim ${inDim} does not match weight [${w.shape}] (expected [${inDim}, out])`);
  const flat = x.rank === 2 ? x : tf.reshape(x, [-1, inDim]);
  let y: tf.Tensor = matMulFast(flat, w);
  if (b) y = tf.add(y, b);
  return (x.rank === 2 ? y : tf.reshape(y, [x.shape[0]!, x.shape[1]!, w.shape[1]!])) as T;
}
