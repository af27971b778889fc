// Fused attention on the webgpu backend: tfjs kernels (registered for 'webgpu' only) running the WGSL
// programs of attention-programs.ts, tied together by a custom gradient. Memory stays O(N·d) per head in
// both passes; the forward pass saves only O and the per-row logsumexp.
import * as tf from '@tensorflow/tfjs-core';
import { lazyGradOp } from '../ops/lazy-grad.js';
import { FlashAttentionForwardProgram, FlashAttentionGradKVProgram, FlashAttentionGradQProgram, tileRows } from './attention-programs.js';
import { asWebGPU, registerWebGpuKernel, workgroupBytes } from './program.js';

const FORWARD = 'SonicFlashAttention';
const GRAD_KV = 'SonicFlashAttentionGradKV';
const GRAD_Q = 'SonicFlashAttentionGradQ';

interface ScaleAttrs {
  scale: number;
}

registerWebGpuKernel(FORWARD, ({ inputs, backend, attrs }) => {
  const { q, k, v } = inputs as { q: tf.TensorInfo; k: tf.TensorInfo; v: tf.TensorInfo };
  const gpu = asWebGPU(backend);
  const [bh, nq, d] = q.shape as [number, number, number];
  const dv = v.shape[2]!;
  const program = new FlashAttentionForwardProgram(bh, nq, d, dv, tileRows(workgroupBytes(gpu), d + dv));
  return gpu.runWebGPUProgram(program, [q, k, v], 'float32', [{ type: 'float32', data: [(attrs as unknown as ScaleAttrs).scale] }]);
});

for (const [kernelName, make] of [
  [GRAD_KV, (bh: number, nq: number, nk: number, d: number, dv: number, bytes: number) => new FlashAttentionGradKVProgram(bh, nk, d, dv, tileRows(bytes, d + dv + 2))],
  [GRAD_Q, (bh: number, nq: number, _nk: number, d: number, dv: number, bytes: number) => new FlashAttentionGradQProgram(bh, nq, d, dv, tileRows(bytes, d + dv))],
] as const) {
  registerWebGpuKernel(kernelName, ({ inputs, backend, attrs }) => {
    const { q, k, v, dy, lse, delta } = inputs as Record<'q' | 'k' | 'v' | 'dy' | 'lse' | 'delta', tf.TensorInfo>;
    const gpu = asWebGPU(backend);
    const [bh, nq, d] = q.shape as [number, number, number];
    const nk = k.shape[1]!;
    const dv = v.shape[2]!;
    const program = make(bh, nq, nk, d, dv, workgroupBytes(gpu));
    return gpu.runWebGPUProgram(program, [q, k, v, dy, lse, delta], 'float32', [{ type: 'float32', data: [(attrs as unknown as ScaleAttrs).scale] }]);
  });
}

function run(kernel: string, inputs: Record<string, tf.Tensor>, scale: number): tf.Tensor {
  return tf.engine().runKernel(kernel, inputs as tf.NamedTensorMap, { scale } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

/** softmax(q·kᵀ·scale)·v with q: [B, heads, Nq, d], k: [B, heads, Nk, d], v: [B, heads, Nk, dv]; webgpu only. */
export function flashAttention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, scale: number): tf.Tensor4D {
  const [b, h, nq, d] = q.shape;
  const nk = k.shape[2];
  const dv = v.shape[3];
  const bh = b * h;
  return lazyGradOp([q, k, v], ([q4, k4, v4], save) => {
    const q3 = tf.reshape(q4, [bh, nq, d]);
    const k3 = tf.reshape(k4, [bh, nk, d]);
    const v3 = tf.reshape(v4, [bh, nk, dv]);
    const flat = run(FORWARD, { q: q3, k: k3, v: v3 }, scale);
    const out = tf.reshape(tf.slice(flat, [0], [bh * nq * dv]), [bh, nq, dv]);
    const lse = tf.reshape(tf.slice(flat, [bh * nq * dv], [bh * nq]), [bh, nq]);
    save([q3, k3, v3, out, lse]);
    return {
      value: tf.reshape(out, [b, h, nq, dv]) as tf.Tensor4D,
      gradFunc: (dy, saved, share) => {
        // Both gradient kernels read Δ = rowsum(dY∘O); dK and dV come from one kernel call.
        const inputs = share(() => {
          const [, , , os] = saved as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.Tensor2D];
          const dy3 = tf.reshape(dy, [bh, nq, dv]);
          return [dy3, tf.sum(tf.mul(dy3, os), 2)];
        });
        const gradInputs = (): Record<string, tf.Tensor> => {
          const [qs, ks, vs, , ls] = saved as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.Tensor2D];
          const [dy3, delta] = inputs() as [tf.Tensor, tf.Tensor];
          return { q: qs, k: ks, v: vs, dy: dy3, lse: ls, delta };
        };
        const dkv = share(() => [run(GRAD_KV, gradInputs(), scale)]);
        return [
          () => tf.reshape(run(GRAD_Q, gradInputs(), scale), [b, h, nq, d]),
          () => tf.reshape(tf.slice(dkv()[0]!, [0], [bh * nk * d]), [b, h, nk, d]),
          () => tf.reshape(tf.slice(dkv()[0]!, [bh * nk * d], [bh * nk * dv]), [b, h, nk, dv]),
        ];
      },
    };
  });
}
