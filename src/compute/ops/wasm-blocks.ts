// Splitting and reordering equal contiguous blocks of a tensor. On wasm the Slice kernel (behind slice,
// unstack and split) copies the WHOLE input out of the heap for every piece, so n pieces cost O(n·size), and
// Reverse/Gather run as slow generic loops; reading each block's byte range directly costs one copy in all.
// Values only: these are for use inside custom-gradient code, where tfjs does not differentiate them.
import * as tf from '@tensorflow/tfjs-core';

interface RangeReader {
  readSync(dataId: object, start?: number, end?: number): Float32Array;
}

/** x viewed as [n, rows, cols] -> n tensors [rows, cols]. */
export function splitBlocks(x: tf.Tensor, n: number, rows: number, cols: number): tf.Tensor2D[] {
  if (x.size !== n * rows * cols) throw new Error(`splitBlocks: [${x.shape}] is not ${n} blocks of [${rows}, ${cols}]`);
  if (tf.getBackend() !== 'wasm' || x.dtype !== 'float32') return tf.unstack(tf.reshape(x, [n, rows, cols])) as tf.Tensor2D[];
  const backend = tf.backend() as unknown as RangeReader;
  const per = rows * cols;
  return Array.from({ length: n }, (_, i) => tf.tensor2d(backend.readSync(x.dataId, i * per, (i + 1) * per), [rows, cols]));
}

/** x viewed as n equal blocks along its flattened leading axes, in reverse block order; same shape as x. */
export function reverseBlocks<T extends tf.Tensor>(x: T, n: number): T {
  const per = x.size / n;
  if (!Number.isInteger(per)) throw new Error(`reverseBlocks: ${x.size} values do not split into ${n} blocks`);
  if (tf.getBackend() !== 'wasm' || x.dtype !== 'float32') return tf.reshape(tf.reverse(tf.reshape(x, [n, per]), 0), x.shape) as T;
  return tf.tidy(() => tf.reshape(tf.concat(splitBlocks(x, n, 1, per).reverse(), 0), x.shape) as T);
}
