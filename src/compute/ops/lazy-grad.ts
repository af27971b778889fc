// Custom-gradient ops with tfjs's registered-kernel semantics: the backward pass returns one closure per
// input and tfjs calls only the closures of inputs on the path to the differentiated tensors. tf.customGrad
// instead computes every input gradient eagerly, so a frozen conv or linear layer (stage-2 adapter training)
// would still pay for its filter gradient, as would GroupNorm for γ/β. Each closure runs in its own tidy.
//
// Built on Engine.runKernelFunc({forwardFunc, backwardsFunc, inputs}), the non-public method tf.customGrad
// itself calls (tfjs-core 4.22.0, engine.js); test/compute/ops/lazy-grad.test.ts pins the behaviour relied on.
import * as tf from '@tensorflow/tfjs-core';

/** Computes one input's gradient; tfjs calls it only when backprop needs that gradient. */
export type GradClosure = () => tf.Tensor;

/**
 * Runs `compute` at most once, on the first call, and returns the same tensors to every caller. Callers must
 * not dispose them; they are freed when the gradient pass ends. Returning one of them as a gradient is fine.
 */
export type Shared = () => tf.Tensor[];

export interface LazyGradResult<T extends tf.Tensor> {
  value: T;
  /** One closure per input, in input order. `saved` holds what the forward pass handed to `save`. */
  gradFunc: (dy: T, saved: tf.Tensor[], share: (compute: () => tf.Tensor[]) => Shared) => GradClosure[];
}

type ForwardFunc = (backend: unknown, save: tf.GradSaveFunc) => tf.Tensor;
type BackwardsFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => Record<string, GradClosure>;

/** The slice of tfjs-core's Engine this module uses. */
interface KernelFuncEngine {
  runKernelFunc(params: { forwardFunc: ForwardFunc; backwardsFunc: BackwardsFunc; inputs: Record<string, tf.Tensor> }): tf.Tensor;
}

function kernelFuncEngine(): KernelFuncEngine {
  const engine = tf.engine() as unknown as Partial<KernelFuncEngine>;
  if (typeof engine.runKernelFunc !== 'function') {
    throw new Error(`lazyGradOp: tfjs-core ${tf.version_core} has no Engine.runKernelFunc (this module was written against 4.22.0)`);
  }
  return engine as KernelFuncEngine;
}

/**
 * Applies a custom-gradient op to `inputs`. `f` runs the forward pass (in a tidy, off the tape, like
 * tf.customGrad's function) and may `save` tensors for the backward pass (kept only while a tape records).
 */
export function lazyGradOp<I extends tf.Tensor[] | [], T extends tf.Tensor>(inputs: I, f: (inputs: I, save: tf.GradSaveFunc) => LazyGradResult<T>): T {
  let result: LazyGradResult<T> | undefined;
  const inputMap: Record<string, tf.Tensor> = {};
  inputs.forEach((t, i) => (inputMap[i] = t));
  const forwardFunc: ForwardFunc = (_backend, save) => {
    result = f(inputs, save);
    return result.value;
  };
  const backwardsFunc: BackwardsFunc = (dy, saved) => {
    const shared = new Set<tf.Tensor>();
    // tfjs disposes a tape node's saved tensors when the gradient pass ends (Engine.gradients), so shared
    // results appended to that same list live exactly as long as the pass, whichever closures ran.
    const share = (compute: () => tf.Tensor[]): Shared => {
      let values: tf.Tensor[] | undefined;
      return () => {
        if (!values) {
          values = tf.tidy(compute).map((t) => tf.keep(t));
          for (const t of values) {
            shared.add(t);
            saved.push(t);
          }
        }
        return values;
      };
    };
    const closures = result!.gradFunc(dy as T, saved, share);
    if (closures.length !== inputs.length) throw new Error(`lazyGradOp: gradFunc returned ${closures.length} closures for ${inputs.length} inputs`);
    const map: Record<string, GradClosure> = {};
    closures.forEach((closure, i) => {
      map[i] = () => {
        const g = closure();
        // A shared tensor is freed with the pass; what tfjs receives as a gradient must outlive it.
        return shared.has(g) ? tf.reshape(g, g.shape) : g;
      };
    });
    return map;
  };
  return kernelFuncEngine().runKernelFunc({ forwardFunc, backwardsFunc, inputs: inputMap }) as T;
}
