// A conv2d whose gradients use only kernels the wasm backend has (node-ml-probe §1.4/§1.5): tfjs-wasm lacks
// Conv2DBackpropFilter, and its Conv2DBackpropInput is ~10× slower than an equivalent forward Conv2D.
//   dX: zero-insert dy by the stride, pad by k−1, convolve with the spatially flipped, in/out-swapped filter.
//   dW: convolve the batch/channel-swapped input with the batch/channel-swapped dy as the "filter"
//       (dilated by the stride), then crop to k×k.
// On webgpu both gradients are WGSL kernels that gather their operands directly (../wgsl/conv2d-grads.ts).
// 1×1 stride-1 unpadded convs are plain 2-D matMuls (matmul2d.ts keeps their gradients on XNNPACK too).
// dX and dW are each computed only when backprop needs them (lazy-grad.ts): a frozen filter costs no dW, the
// first conv of a tower (reading data) no dX.
import * as tf from '@tensorflow/tfjs-core';
import { lazyGradOp } from './lazy-grad.js';
import { matMul2d } from './matmul2d.js';
import { reverseBlocks } from './wasm-blocks.js';
import { pair, resolvePadding2d, type Conv2dPadding, type ExplicitPadding2d } from './padding.js';
import { conv2dFilterGrad, conv2dInputGrad } from '../wgsl/conv2d-grads.js';
import { onWebGPU } from '../wgsl/program.js';

export type { Conv2dPadding } from './padding.js';

export interface Conv2dOptions {
  stride?: number | [number, number];
  padding?: Conv2dPadding;
  /** Added per output channel, shape [out]. */
  bias?: tf.Tensor1D;
}

/** x: NHWC [N, H, W, in]; w: [kh, kw, in, out] (torch [out, in, kh, kw] permuted). */
export function conv2d(x: tf.Tensor4D, w: tf.Tensor4D, options: Conv2dOptions = {}): tf.Tensor4D {
  const [n, h, wd, cin] = x.shape;
  const [kh, kw, wIn, cout] = w.shape;
  if (wIn !== cin) throw new Error(`conv2d: input has ${cin} channels but the filter [${w.shape}] expects ${wIn}`);
  const stride = pair(options.stride ?? 1, 'stride');
  const pad = resolvePadding2d(options.padding ?? 0, [h, wd], [kh, kw], stride);
  const hp = h + pad[0][0] + pad[0][1];
  const wp = wd + pad[1][0] + pad[1][1];
  if (hp < kh || wp < kw) throw new Error(`conv2d: padded input ${hp}×${wp} is smaller than the ${kh}×${kw} kernel`);

  let y: tf.Tensor4D;
  if (kh === 1 && kw === 1 && stride[0] === 1 && stride[1] === 1 && isZero(pad)) {
    const flat = matMul2d(tf.reshape(x, [n * h * wd, cin]) as tf.Tensor2D, tf.reshape(w, [cin, cout]) as tf.Tensor2D);
    y = tf.reshape(flat, [n, h, wd, cout]);
  } else {
    y = customConv(x, w, stride, pad);
  }
  return options.bias ? tf.add(y, options.bias) : y;
}

function customConv(x: tf.Tensor4D, w: tf.Tensor4D, stride: [number, number], pad: ExplicitPadding2d): tf.Tensor4D {
  const webgpu = onWebGPU();
  const padBefore: [number, number] = [pad[0][0], pad[1][0]];
  return lazyGradOp([x, w], ([x4, w4], save) => {
    const xp = padInput(x4, pad);
    // The wasm/cpu filter gradient reads the padded input, so that is what is kept (no second pad).
    save([webgpu ? x4 : xp, w4]);
    const value = tf.conv2d(xp, w4, stride, 'valid');
    return {
      value,
      gradFunc: (dy, saved) => {
        const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
        if (webgpu) {
          return [() => conv2dInputGrad(dy, ws, x.shape, stride, padBefore), () => conv2dFilterGrad(xs, dy, ws.shape, stride, padBefore)];
        }
        return [() => inputGrad(dy, ws, x.shape, xs.shape, stride, pad), () => filterGrad(dy, xs, ws.shape, stride)];
      },
    };
  });
}

function isZero(pad: ExplicitPadding2d): boolean {
  return pad[0][0] === 0 && pad[0][1] === 0 && pad[1][0] === 0 && pad[1][1] === 0;
}

function padInput(x: tf.Tensor4D, pad: ExplicitPadding2d): tf.Tensor4D {
  return isZero(pad) ? x : tf.pad(x, [[0, 0], pad[0], pad[1], [0, 0]]);
}

/** Inserts stride−1 zeros between the rows and columns of dy: [N, Ho, Wo, C] -> [N, (Ho−1)sh+1, (Wo−1)sw+1, C]. */
export function zeroInsert2d(dy: tf.Tensor4D, stride: [number, number]): tf.Tensor4D {
  const [sh, sw] = stride;
  if (sh === 1 && sw === 1) return dy;
  const [n, ho, wo, c] = dy.shape;
  // Columns then rows, each a rank-4 pad: tfjs-webgpu cannot compile a rank-6 pad ("cannot index type 'vec6'").
  const cols = tf.pad(tf.reshape(dy, [n * ho, wo, 1, c]), [[0, 0], [0, 0], [0, sw - 1], [0, 0]]);
  const rows = tf.pad(tf.reshape(cols, [n * ho, 1, wo * sw * c]), [[0, 0], [0, sh - 1], [0, 0]]);
  const up = tf.reshape(rows, [n, ho * sh, wo * sw, c]) as tf.Tensor4D;
  return tf.slice(up, [0, 0, 0, 0], [n, (ho - 1) * sh + 1, (wo - 1) * sw + 1, c]);
}

function inputGrad(
  dy: tf.Tensor4D,
  w: tf.Tensor4D,
  xShape: [number, number, number, number],
  xpShape: [number, number, number, number],
  stride: [number, number],
  pad: ExplicitPadding2d,
): tf.Tensor4D {
  const [kh, kw] = w.shape;
  const [, ho, wo] = dy.shape;
  // Rows/columns of the padded input that no output window reached still need a (zero) gradient.
  const extraH = xpShape[1] - ((ho - 1) * stride[0] + kh);
  const extraW = xpShape[2] - ((wo - 1) * stride[1] + kw);
  const dyPadded = tf.pad(zeroInsert2d(dy, stride), [[0, 0], [kh - 1, kh - 1 + extraH], [kw - 1, kw - 1 + extraW], [0, 0]]);
  // Flipping both spatial axes reverses the order of the kh·kw filter taps (tf.reverse is slow on wasm).
  const wFlipped = tf.transpose(reverseBlocks(w, kh * kw), [0, 1, 3, 2]) as tf.Tensor4D;
  const dxp = tf.conv2d(dyPadded, wFlipped, 1, 'valid');
  return isZero(pad) ? dxp : tf.slice(dxp, [0, pad[0][0], pad[1][0], 0], xShape);
}

function filterGrad(dy: tf.Tensor4D, xp: tf.Tensor4D, wShape: [number, number, number, number], stride: [number, number]): tf.Tensor4D {
  const [kh, kw, cin, cout] = wShape;
  const xT = tf.transpose(xp, [3, 1, 2, 0]) as tf.Tensor4D; // [in, Hp, Wp, N]
  const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [Ho, Wo, N, out]
  const full = tf.conv2d(xT, dyT, 1, 'valid', 'NHWC', stride); // [in, kh+extraH, kw+extraW, out]
  const cropped = full.shape[1] === kh && full.shape[2] === kw ? full : tf.slice(full, [0, 0, 0, 0], [cin, kh, kw, cout]);
  return tf.transpose(cropped, [1, 2, 0, 3]);
}
