// The first convolution of a tower sees data, not activations, so its input gradient is never needed.
// compute/ops' conv2d always computes it (tf.customGrad differentiates every input); on a [64, 77, 64, 1]
// log-mel batch that costs more than the rest of the backward pass. This variant closes over x and
// differentiates only the filter and bias, with the same wasm-safe filter gradient (a conv of the
// batch/channel-swapped input with the batch/channel-swapped dy, dilated by the stride, cropped to k×k).
import * as tf from '@tensorflow/tfjs-core';

export function inputConv2d(x: tf.Tensor4D, w: tf.Tensor4D, bias: tf.Tensor1D, stride: number, pad: number): tf.Tensor4D {
  const [kh, kw, cin, cout] = w.shape;
  if (x.shape[3] !== cin) throw new Error(`inputConv2d: input has ${x.shape[3]} channels but the filter [${w.shape}] expects ${cin}`);
  const xp = pad > 0 ? tf.pad(x, [[0, 0], [pad, pad], [pad, pad], [0, 0]]) : x;
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [w4, b1, save] = args as [tf.Tensor4D, tf.Tensor1D, tf.GradSaveFunc];
    save([xp]); // x is not an input of the op; saving keeps it alive until the backward pass
    const value = tf.add(tf.conv2d(xp, w4, stride, 'valid'), b1) as tf.Tensor4D;
    const gradFunc = (dy: tf.Tensor4D, saved: tf.Tensor[]): tf.Tensor[] => {
      const xT = tf.transpose(saved[0] as tf.Tensor4D, [3, 1, 2, 0]) as tf.Tensor4D; // [in, Hp, Wp, N]
      const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [Ho, Wo, N, out]
      const full = tf.conv2d(xT, dyT, 1, 'valid', 'NHWC', stride);
      const cropped = full.shape[1] === kh && full.shape[2] === kw ? full : tf.slice(full, [0, 0, 0, 0], [cin, kh, kw, cout]);
      return [tf.transpose(cropped, [1, 2, 0, 3]), tf.sum(dy, [0, 1, 2])];
    };
    return { value, gradFunc };
  });
  return op(w, bias) as tf.Tensor4D;
}
