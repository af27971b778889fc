// Exact GELU on the wasm backend: one elementwise kernel each way (csrc/gelu.c) instead of tfjs's composed
// mul, erf, add, mul forward and its longer backward; the custom gradient saves only x.
import * as tf from '@tensorflow/tfjs-core';
import { lazyGradOp } from '../ops/lazy-grad.js';
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
  return lazyGradOp([x], ([xIn], save) => {
    save([xIn]);
    return {
      value: tf.engine().runKernel(FORWARD, { x: xIn }) as T,
      gradFunc: (dy, [xs]) => [() => tf.engine().runKernel(GRAD, { x: xs!, dy: tf.reshape(dy, xs!.shape) }) as tf.Tensor],
    };
  });
}
