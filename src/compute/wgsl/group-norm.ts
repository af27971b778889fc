// Fused GroupNorm(+SiLU) on the webgpu backend: tfjs kernels for 'webgpu' running group-norm-programs.ts,
// tied together by a custom gradient that saves only x and the per-(sample, group) statistics.
import * as tf from '@tensorflow/tfjs-core';
import { lazyGradOp } from '../ops/lazy-grad.js';
import {
  GroupNormApplyProgram,
  GroupNormGradInputProgram,
  GroupNormGradParamsProgram,
  GroupNormGradSumsProgram,
  GroupNormStatsProgram,
  PARAM_CHANNELS,
} from './group-norm-programs.js';
import { asWebGPU, registerWebGpuKernel, type ProgramUniform } from './program.js';

const STATS = 'SonicGroupNormStats';
const APPLY = 'SonicGroupNormApply';
const GRAD_SUMS = 'SonicGroupNormGradSums';
const GRAD_INPUT = 'SonicGroupNormGradInput';
const GRAD_PARAMS = 'SonicGroupNormGradParams';

interface GroupNormAttrs {
  groups: number;
  eps: number;
  silu: boolean;
}

/** Workgroups the parameter gradient aims for before it stops splitting its rows. */
const PARAM_TARGET_WORKGROUPS = 256;
const PARAM_MIN_ROWS = 64;

function paramSplit(rows: number, channels: number): { splits: number; chunk: number } {
  const tiles = Math.ceil(channels / PARAM_CHANNELS);
  const wanted = Math.max(1, Math.min(Math.ceil(PARAM_TARGET_WORKGROUPS / tiles), Math.floor(rows / PARAM_MIN_ROWS)));
  const chunk = Math.ceil(rows / wanted);
  return { splits: Math.ceil(rows / chunk), chunk };
}

const int = (v: number): ProgramUniform => ({ type: 'int32', data: [v] });

function register(kernelName: string, run: (inputs: Record<string, tf.TensorInfo>, attrs: GroupNormAttrs, backend: unknown) => tf.TensorInfo): void {
  registerWebGpuKernel(kernelName, ({ inputs, attrs, backend }) => run(inputs as Record<string, tf.TensorInfo>, attrs as unknown as GroupNormAttrs, backend));
}

/** Binds each tensor to the program variable of the same role, in the order the program declares them. */
function bind(program: { variableNames: string[] }, byName: Record<string, tf.TensorInfo | undefined>): tf.TensorInfo[] {
  return program.variableNames.map((name) => {
    const t = byName[name];
    if (!t) throw new Error(`group norm kernel: input ${name} missing`);
    return t;
  });
}

register(STATS, ({ x }, a, backend) => {
  const program = new GroupNormStatsProgram(x!.shape[0]!, a.groups);
  return asWebGPU(backend).runWebGPUProgram(program, [x!], 'float32', [int(a.groups), { type: 'float32', data: [a.eps] }]);
});
register(APPLY, (t, a, backend) => {
  const program = new GroupNormApplyProgram(t.x!.shape as [number, number, number], a.silu);
  return asWebGPU(backend).runWebGPUProgram(program, bind(program, roles(t)), 'float32', [int(a.groups)]);
});
register(GRAD_SUMS, (t, a, backend) => {
  const program = new GroupNormGradSumsProgram(t.x!.shape[0]!, a.groups, a.silu);
  return asWebGPU(backend).runWebGPUProgram(program, bind(program, roles(t)), 'float32', [int(a.groups)]);
});
register(GRAD_INPUT, (t, a, backend) => {
  const program = new GroupNormGradInputProgram(t.x!.shape as [number, number, number], a.silu);
  return asWebGPU(backend).runWebGPUProgram(program, bind(program, roles(t)), 'float32', [int(a.groups)]);
});
register(GRAD_PARAMS, (t, a, backend) => {
  const [n, p, c] = t.x!.shape as [number, number, number];
  const { splits, chunk } = paramSplit(n * p, c);
  const program = new GroupNormGradParamsProgram(c, splits, a.silu);
  return asWebGPU(backend).runWebGPUProgram(program, bind(program, roles(t)), 'float32', [int(a.groups), int(chunk)]);
});

function roles(t: Record<string, tf.TensorInfo>): Record<string, tf.TensorInfo | undefined> {
  return { X: t.x, Dy: t.dy, Stats: t.stats, Gamma: t.gamma, Beta: t.beta, Sums: t.sums };
}

function run(kernel: string, inputs: Record<string, tf.Tensor>, attrs: GroupNormAttrs): tf.Tensor {
  return tf.engine().runKernel(kernel, inputs as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

/**
 * GroupNorm over channels-last x [N, ..., C] (biased variance per sample and group), then γ, β and, when
 * `silu`, x·σ(x); webgpu only. γ and β are [C].
 */
export function fusedGroupNorm<T extends tf.Tensor>(x: T, groups: number, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number, silu: boolean): T {
  const n = x.shape[0]!;
  const c = x.shape[x.rank - 1]!;
  const attrs: GroupNormAttrs = { groups, eps, silu };
  return lazyGradOp([x, gamma, beta], ([xIn, g, b], save) => {
    const x3 = tf.reshape(xIn, [n, -1, c]);
    const stats = run(STATS, { x: x3 }, attrs);
    save([x3, stats, g, b]);
    return {
      value: tf.reshape(run(APPLY, { x: x3, stats, gamma: g, beta: b }, attrs), xIn.shape) as T,
      gradFunc: (dy, saved, share) => {
        const inputs = (): Record<string, tf.Tensor> => {
          const [xs, st, gs, bs] = saved as [tf.Tensor3D, tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
          return { x: xs, dy: tf.reshape(dy, xs.shape), stats: st, gamma: gs, beta: bs };
        };
        // dγ and dβ come from one kernel call, run only when either is asked for; dx has its own kernels.
        const params = share(() => tf.unstack(tf.sum(run(GRAD_PARAMS, inputs(), attrs), 0))); // 2 × [C]
        return [
          () => {
            const t = inputs();
            return tf.reshape(run(GRAD_INPUT, { ...t, sums: run(GRAD_SUMS, t, attrs) }, attrs), xIn.shape);
          },
          () => params()[0]!,
          () => params()[1]!,
        ];
      },
    };
  });
}
