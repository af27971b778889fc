// One fused AdamW update of one parameter on the wasm backend (csrc/adamw.c): a single kernel call instead of
// the ~14 elementwise tfjs kernels of compute/adamw.ts's formulation, with the same float32 operations in the
// same order. It returns new p, m, v tensors (the caller assigns them to its variables): writing into the
// variables' own buffers would also change any tensor that shares their dataId (a reshape of a weight).
import * as tf from '@tensorflow/tfjs-core';
import { copyIn, copyOut, registerWasmKernel, size, withRegions } from './module.js';

export const ADAMW_KERNEL = 'SonicWasmAdamW';

/** The update's scalars, as compute/adamw.ts derives them for this parameter and step. */
export interface AdamWStepScalars {
  /** 1 − lr·weightDecay (1 without weight decay). */
  decay: number;
  beta1: number;
  beta2: number;
  /** √(1 − β2ᵗ). */
  bc2Sqrt: number;
  eps: number;
  /** lr / (1 − β1ᵗ). */
  stepSize: number;
}

registerWasmKernel(ADAMW_KERNEL, ({ inputs, backend, attrs }) => {
  const { p, m, v, g } = inputs as Record<'p' | 'm' | 'v' | 'g', tf.TensorInfo>;
  const s = attrs as unknown as AdamWStepScalars;
  const n = size(p);
  for (const [name, t] of [['m', m], ['v', v], ['g', g]] as const) {
    if (size(t) !== n) throw new Error(`AdamW kernel: ${name} has ${size(t)} elements, the parameter ${n}`);
  }
  return withRegions([n, n, n, n], ([pr, mr, vr, gr], k) => {
    copyIn(backend, p, pr!);
    copyIn(backend, m, mr!);
    copyIn(backend, v, vr!);
    copyIn(backend, g, gr!);
    k.adamw_step(pr!.ptr, mr!.ptr, vr!.ptr, gr!.ptr, n, s.decay, 1 - s.beta1, s.beta2, 1 - s.beta2, s.bc2Sqrt, s.eps, s.stepSize);
    return [copyOut(backend, pr!, p.shape), copyOut(backend, mr!, p.shape), copyOut(backend, vr!, p.shape)];
  });
});

/** The updated parameter and moments (new tensors); wasm only, float32. */
export function wasmAdamWStep(p: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, scalars: AdamWStepScalars): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const attrs = { ...scalars } as unknown as tf.NamedAttrMap;
  return tf.engine().runKernel(ADAMW_KERNEL, { p, m, v, g }, attrs) as unknown as [tf.Tensor, tf.Tensor, tf.Tensor];
}
