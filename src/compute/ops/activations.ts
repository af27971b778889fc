import * as tf from '@tensorflow/tfjs-core';
import { wasmGelu } from '../wasm-kernels/gelu.js';
import { onWasmKernels } from '../wasm-kernels/module.js';

/** x·σ(x) (torch.nn.SiLU). */
export function silu<T extends tf.Tensor>(x: T): T {
  return tf.mul(x, tf.sigmoid(x)) as T;
}

/** Exact GELU, ½x(1 + erf(x/√2)) (torch.nn.GELU() default, approximate='none'); one fused kernel on wasm. */
export function geluExact<T extends tf.Tensor>(x: T): T {
  if (x.dtype === 'float32' && onWasmKernels()) return wasmGelu(x);
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1)) as T;
}
