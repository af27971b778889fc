import * as tf from '@tensorflow/tfjs-core';

/**
 * Nearest-neighbour ×2 upsampling of NHWC by broadcasting. Not tf.resizeNearestNeighbor: its cpu-backend
 * gradient is wrong for batch > 1 (node-ml-probe §1.5).
 */
export function upsampleNearest2x(x: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const spread = tf.mul(tf.reshape(x, [n, h, 1, w, 1, c]), tf.ones([1, 1, 2, 1, 2, 1]));
  return tf.reshape(spread, [n, 2 * h, 2 * w, c]);
}
