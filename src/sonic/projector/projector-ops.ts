// The few differentiable 1-D ops the audio projector needs, built only from kernels whose gradients work on
// the wasm backend (slice, pad, reshape, matMul, erf, moments): tf.conv1d's filter gradient needs
// Conv2DBackpropFilter, which wasm lacks. Layouts are tfjs: activations NWC [B, L, C], conv1d weights
// [k, in, out], conv_transpose1d weights [k, out, in] (see compute/torch-layout.ts).
import * as tf from '@tensorflow/tfjs-core';

/** PyTorch Conv1d (zero padding `pad` on both sides, `stride`), as an unfold + matMul. */
export function conv1d(x: tf.Tensor3D, w: tf.Tensor3D, bias: tf.Tensor1D | null, stride: number, pad: number): tf.Tensor3D {
  return tf.tidy(() => {
    const [b, len, cin] = x.shape;
    const [k, win, cout] = w.shape;
    if (win !== cin) throw new Error(`conv1d: input has ${cin} channels, weight expects ${win}`);
    const xp = pad > 0 ? tf.pad(x, [[0, 0], [pad, pad], [0, 0]]) : x;
    const lout = Math.floor((len + 2 * pad - k) / stride) + 1;
    const taps: tf.Tensor3D[] = [];
    for (let j = 0; j < k; j++) {
      taps.push(stride === 1 ? tf.slice(xp, [0, j, 0], [b, lout, cin]) : strided(xp, j, stride, lout));
    }
    const cols = tf.reshape(tf.concat(taps, 2), [b * lout, k * cin]);
    let y = tf.matMul(cols, tf.reshape(w, [k * cin, cout]));
    if (bias) y = tf.add(y, bias);
    return tf.reshape(y, [b, lout, cout]);
  });
}

// Positions start, start+stride, … (lout of them) along axis 1, via reshape so the gradient is plain slicing.
function strided(xp: tf.Tensor3D, start: number, stride: number, lout: number): tf.Tensor3D {
  const [b, , c] = xp.shape;
  const span = tf.slice(xp, [0, start, 0], [b, Math.min(lout * stride, xp.shape[1] - start), c]);
  const padded = span.shape[1] < lout * stride ? tf.pad(span, [[0, 0], [0, lout * stride - span.shape[1]], [0, 0]]) : span;
  return tf.reshape(tf.slice(tf.reshape(padded, [b, lout, stride, c]), [0, 0, 0, 0], [b, lout, 1, c]), [b, lout, c]);
}

/** PyTorch ConvTranspose1d (output_padding 0, dilation 1): zero-stuff by `stride`, then a stride-1 conv. */
export function convTranspose1d(x: tf.Tensor3D, w: tf.Tensor3D, bias: tf.Tensor1D | null, stride: number, pad: number): tf.Tensor3D {
  return tf.tidy(() => {
    const [b, len, c] = x.shape;
    const k = w.shape[0];
    if (k - 1 - pad < 0) throw new Error(`convTranspose1d: padding ${pad} larger than kernel ${k} - 1`);
    let up: tf.Tensor3D = x;
    if (stride > 1) {
      const stuffed = tf.pad(tf.reshape(x, [b, len, 1, c]) as tf.Tensor4D, [[0, 0], [0, 0], [0, stride - 1], [0, 0]]);
      up = tf.slice(tf.reshape(stuffed, [b, len * stride, c]) as tf.Tensor3D, [0, 0, 0], [b, (len - 1) * stride + 1, c]);
    }
    // [k, out, in] -> flipped taps, [k, in, out]
    const wConv = tf.transpose(tf.reverse(w, 0), [0, 2, 1]);
    return conv1d(up, wConv, bias, 1, k - 1 - pad);
  });
}

/** LayerNorm over the last two axes jointly (torch LayerNorm([C, L]) on [B, C, L] = ours on [B, L, C]). */
export function layerNorm2d(x: tf.Tensor3D, weight: tf.Tensor2D, bias: tf.Tensor2D, eps = 1e-5): tf.Tensor3D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, [1, 2], true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), weight), bias);
  });
}

/** GELU, exact erf form (torch nn.GELU()). */
export function geluExact<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))) as T);
}

/** y = x·W (+ b) on the last axis; W in tfjs layout [in, out]. */
export function linear(x: tf.Tensor, w: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor {
  return tf.tidy(() => {
    const shape = x.shape;
    const inDim = shape[shape.length - 1]!;
    let y = tf.matMul(tf.reshape(x, [-1, inDim]), w);
    if (bias) y = tf.add(y, bias);
    return tf.reshape(y, [...shape.slice(0, -1), w.shape[1]]);
  });
}
