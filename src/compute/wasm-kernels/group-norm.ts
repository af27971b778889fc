// Fused GroupNorm(+SiLU) on the wasm backend: tfjs kernels (registered for 'wasm') running csrc/group_norm.c,
// tied together by a custom gradient that saves only x, γ, β and the per-(sample, group) statistics.
import * as tf from '@tensorflow/tfjs-core';
import { lazyGradOp } from '../ops/lazy-grad.js';
import { copyIn, copyOut, kernelModule, registerWasmKernel, size, withRegions } from './module.js';

const FORWARD = 'SonicWasmGroupNorm';
const GRAD = 'SonicWasmGroupNormGrad';

interface GroupNormAttrs {
  groups: number;
  eps: number;
  silu: boolean;
}

type Inputs = Record<'x' | 'gamma' | 'beta' | 'stats' | 'dy', tf.TensorInfo>;

registerWasmKernel(FORWARD, ({ inputs, backend, attrs }) => {
  const t = inputs as Inputs;
  const { groups, eps, silu } = attrs as unknown as GroupNormAttrs;
  const [n, p, c] = t.x.shape as [number, number, number];
  const scratch = kernelModule().group_norm_scratch_floats(c);
  return withRegions([size(t.x), c, c, size(t.x), n * groups * 2, scratch], ([x, gamma, beta, y, stats, work], m) => {
    copyIn(backend, t.x, x!);
    copyIn(backend, t.gamma, gamma!);
    copyIn(backend, t.beta, beta!);
    m.group_norm_forward(x!.ptr, gamma!.ptr, beta!.ptr, y!.ptr, stats!.ptr, n, p, c, groups, eps, silu ? 1 : 0, work!.ptr);
    return [copyOut(backend, y!, [n, p, c]), copyOut(backend, stats!, [n, groups, 2])];
  });
});

registerWasmKernel(GRAD, ({ inputs, backend, attrs }) => {
  const t = inputs as Inputs;
  const { groups, silu } = attrs as unknown as GroupNormAttrs;
  const [n, p, c] = t.x.shape as [number, number, number];
  const scratch = kernelModule().group_norm_scratch_floats(c);
  const sizes = [size(t.x), size(t.x), c, c, n * groups * 2, size(t.x), c, c, scratch];
  return withRegions(sizes, ([x, dy, gamma, beta, stats, dx, dgamma, dbeta, work], m) => {
    for (const [tensor, region] of [[t.x, x], [t.dy, dy], [t.gamma, gamma], [t.beta, beta], [t.stats, stats]] as const) copyIn(backend, tensor, region!);
    m.group_norm_backward(x!.ptr, dy!.ptr, gamma!.ptr, beta!.ptr, stats!.ptr, dx!.ptr, dgamma!.ptr, dbeta!.ptr, n, p, c, groups, silu ? 1 : 0, work!.ptr);
    return [copyOut(backend, dx!, [n, p, c]), copyOut(backend, dgamma!, [c]), copyOut(backend, dbeta!, [c])];
  });
});

function run(kernel: string, inputs: Record<string, tf.Tensor>, attrs: GroupNormAttrs): tf.Tensor[] {
  return tf.engine().runKernel(kernel, inputs as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];
}

/**
 * GroupNorm over channels-last x [N, ..., C] (biased variance per sample and group), then γ, β and, when
 * `silu`, x·σ(x); wasm only, float32. γ and β are [C].
 */
export function wasmFusedGroupNorm<T extends tf.Tensor>(x: T, groups: number, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number, silu: boolean): T {
  const n = x.shape[0]!;
  const c = x.shape[x.rank - 1]!;
  const attrs: GroupNormAttrs = { groups, eps, silu };
  return lazyGradOp([x, gamma, beta], ([xIn, g, b], save) => {
    const x3 = tf.reshape(xIn, [n, -1, c]);
    const [y, stats] = run(FORWARD, { x: x3, gamma: g, beta: b }, attrs) as [tf.Tensor, tf.Tensor];
    save([x3, stats, g, b]);
    return {
      value: tf.reshape(y, xIn.shape) as T,
      gradFunc: (dy, saved, share) => {
        // One kernel call yields dx, dγ and dβ; it runs once, for whichever is asked for first.
        const grads = share(() => {
          const [xs, st, gs, bs] = saved as [tf.Tensor3D, tf.Tensor3D, tf.Tensor1D, tf.Tensor1D];
          return run(GRAD, { x: xs, dy: tf.reshape(dy, xs.shape), stats: st, gamma: gs, beta: bs }, attrs);
        });
        return [() => tf.reshape(grads()[0]!, xIn.shape), () => grads()[1]!, () => grads()[2]!];
      },
    };
  });
}
