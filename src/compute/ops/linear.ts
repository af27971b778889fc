import * as tf from '@tensorflow/tfjs-core';
import { addRowBias, matMul2d } from './matmul2d.js';

/** y = x·W + b over the last axis. x: [..., in] (rank 2 or 3); w: [in, out] (torch [out, in] transposed). */
export function linear<T extends tf.Tensor2D | tf.Tensor3D>(x: T, w: tf.Tensor2D, b?: tf.Tensor1D | null): T {
  const inDim = x.shape[x.rank - 1]!;
  if (w.shape[0] !== inDim) throw new Error(`linear: input last dim ${inDim} does not match weight [${w.shape}] (expected [${inDim}, out])`);
  const outDim = w.shape[1];
  const flat = x.rank === 2 ? (x as tf.Tensor2D) : (tf.reshape(x, [-1, inDim]) as tf.Tensor2D);
  let y = matMul2d(flat, w);
  if (b) y = addRowBias(y, b);
  return (x.rank === 2 ? y : tf.reshape(y, [x.shape[0]!, x.shape[1]!, outDim])) as T;
}
