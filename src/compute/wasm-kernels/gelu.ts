// Exact GELU on the wasm backend: one elementwise kernel each way (csrc/gelu.c) instead of tfjs's composed
// mul, erf, add, mul forward and its longer backward; the custom gradient saves only x.
import * as tf from '@tensorflow/tfjs-core';
import { copyIn, copyOut, registerWasmKernel, size, withRegions } from './module.js';

const FORWARD = 'SonicWasmGelu';
const GRAD = 'SonicWasmGeluGrad';

registerWasmKernel(FORWARD, ({ inputs, backend }) => {
  const { x } = inputs as { x: tf.TensorInfo };
  const n = size(x);
  return withRegions([n, n], ([xr, y], m) => {
    copyIn(backend, x, xr!);
    m.gelu_forward(xr!.ptr, y!.ptr, n);
    return copyOut(backend, y!, x.shape);
  });
});

registerWasmKernel(GRAD, ({ inputs, backend }) => {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const n = size(x);
  return withRegions([n, n, n], ([xr, dyr, dx], m) => {
    copyIn(backend, x, xr!);
    copyIn(backend, dy, dyr!);
    m.gelu_backward(xr!.ptr, dyr!.ptr, dx!.ptr, n);
    return copyOut(backend, dx!, x.shape);
  });
});

/** ½x(1 + erf(x/√2)); wasm only, float32. */
export function wasmGelu<T extends tf.Tensor>(x: T): T {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([xIn]);
    const value = tf.engine().runKernel(FORWARD, { x: xIn }) as tf.Tensor;
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor => tf.engine().runKernel(GRAD, { x: saved[0]!, dy: tf.reshape(dy, saved[0]!.shape) }) as tf.Tensor;
    return { value, gradFunc };
  });
  return op(x) as T;
}
