// Conv2D filter and input gradients on the webgpu backend (WGSL programs in conv2d-grad-programs.ts),
// registered as tfjs kernels for 'webgpu'. ops/conv2d.ts calls these from its custom gradient there.
import * as tf from '@tensorflow/tfjs-core';
import { Conv2DFilterGradProgram, Conv2DInputGradProgram, TILE, convUniforms, type ConvGeometry } from './conv2d-grad-programs.js';
import { asWebGPU, registerWebGpuKernel } from './program.js';

const FILTER_GRAD = 'SonicConv2DFilterGrad';
const INPUT_GRAD = 'SonicConv2DInputGrad';

/** Workgroups the filter gradient aims for before it stops splitting its reduction. */
const TARGET_WORKGROUPS = 512;
/** A split never reduces over fewer positions than this. */
const MIN_CHUNK = 256;

interface FilterGradAttrs extends ConvGeometry {
  filterShape: [number, number, number, number];
}

interface InputGradAttrs extends ConvGeometry {
  inputShape: [number, number, number, number];
}

/** How many chunks the filter gradient splits its reduction over `positions` into, and the chunk length. */
export function filterGradSplit(positions: number, rows: number, cols: number): { splits: number; chunk: number } {
  const tiles = Math.ceil(rows / TILE) * Math.ceil(cols / TILE);
  const wanted = Math.max(1, Math.min(Math.ceil(TARGET_WORKGROUPS / tiles), Math.floor(positions / MIN_CHUNK)));
  const chunk = Math.ceil(positions / wanted);
  return { splits: Math.ceil(positions / chunk), chunk };
}

registerWebGpuKernel(FILTER_GRAD, ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = attrs as unknown as FilterGradAttrs;
  const [kh, kw, cin, cout] = a.filterShape;
  const positions = dy.shape[0]! * dy.shape[1]! * dy.shape[2]!;
  const { splits, chunk } = filterGradSplit(positions, kh * kw * cin, cout);
  const program = new Conv2DFilterGradProgram(splits, kh * kw * cin, cout);
  return asWebGPU(backend).runWebGPUProgram(program, [x, dy], 'float32', convUniforms(a, chunk));
});

registerWebGpuKernel(INPUT_GRAD, ({ inputs, backend, attrs }) => {
  const { dy, w } = inputs as { dy: tf.TensorInfo; w: tf.TensorInfo };
  const a = attrs as unknown as InputGradAttrs;
  return asWebGPU(backend).runWebGPUProgram(new Conv2DInputGradProgram(a.inputShape), [dy, w], 'float32', convUniforms(a, 0));
});

function geometry(stride: [number, number], padBefore: [number, number], kernel: [number, number]): ConvGeometry {
  return { stride, padBefore, kernel };
}

/** ∂L/∂w for y = conv2d(pad(x), w, stride), x unpadded NHWC; webgpu only. */
export function conv2dFilterGrad(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  stride: [number, number],
  padBefore: [number, number],
): tf.Tensor4D {
  const attrs: FilterGradAttrs = { ...geometry(stride, padBefore, [filterShape[0], filterShape[1]]), filterShape };
  const parts = tf.engine().runKernel(FILTER_GRAD, { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor3D;
  const summed = parts.shape[0] === 1 ? tf.reshape(parts, filterShape) : tf.reshape(tf.sum(parts, 0), filterShape);
  return summed as tf.Tensor4D;
}

/** ∂L/∂x for y = conv2d(pad(x), w, stride), x unpadded NHWC of `inputShape`; webgpu only. */
export function conv2dInputGrad(
  dy: tf.Tensor4D,
  w: tf.Tensor4D,
  inputShape: [number, number, number, number],
  stride: [number, number],
  padBefore: [number, number],
): tf.Tensor4D {
  const attrs: InputGradAttrs = { ...geometry(stride, padBefore, [w.shape[0], w.shape[1]]), inputShape };
  return tf.engine().runKernel(INPUT_GRAD, { dy, w }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}
