// Fused attention on the wasm backend: tfjs kernels (registered for 'wasm') running csrc/attention.c, tied
// together by a custom gradient. The forward kernel returns O and the per-row logsumexp; the gradient kernel
// recomputes the probabilities from them, so memory stays O(N·d) per head in both passes.
import * as tf from '@tensorflow/tfjs-core';
import { lazyGradOp } from '../ops/lazy-grad.js';
import { copyIn, copyOut, kernelModule, registerWasmKernel, size, withRegions } from './module.js';

const FORWARD = 'SonicWasmAttention';
const GRAD = 'SonicWasmAttentionGrad';

interface ScaleAttrs {
  scale: number;
}

type Inputs = Record<'q' | 'k' | 'v' | 'o' | 'dy' | 'lse', tf.TensorInfo>;

function dims({ q, k, v }: Inputs): [number, number, number, number, number] {
  const [bh, nq, d] = q.shape as [number, number, number];
  return [bh, nq, k.shape[1]!, d, v.shape[2]!];
}

registerWasmKernel(FORWARD, ({ inputs, backend, attrs }) => {
  const t = inputs as Inputs;
  const [bh, nq, nk, d, dv] = dims(t);
  const scratch = kernelModule().attention_scratch_floats(nk, d, dv);
  return withRegions([size(t.q), size(t.k), size(t.v), bh * nq * dv, bh * nq, scratch], ([q, k, v, o, lse, work], m) => {
    copyIn(backend, t.q, q!);
    copyIn(backend, t.k, k!);
    copyIn(backend, t.v, v!);
    m.attention_forward(q!.ptr, k!.ptr, v!.ptr, o!.ptr, lse!.ptr, bh, nq, nk, d, dv, (attrs as unknown as ScaleAttrs).scale, work!.ptr);
    return [copyOut(backend, o!, [bh, nq, dv]), copyOut(backend, lse!, [bh, nq])];
  });
});

registerWasmKernel(GRAD, ({ inputs, backend, attrs }) => {
  const t = inputs as Inputs;
  const [bh, nq, nk, d, dv] = dims(t);
  const scratch = kernelModule().attention_scratch_floats(nk, d, dv);
  const sizes = [size(t.q), size(t.k), size(t.v), size(t.o), size(t.dy), size(t.lse), size(t.q), size(t.k), size(t.v), scratch];
  return withRegions(sizes, ([q, k, v, o, dy, lse, dq, dk, dvr, work], m) => {
    for (const [tensor, region] of [[t.q, q], [t.k, k], [t.v, v], [t.o, o], [t.dy, dy], [t.lse, lse]] as const) copyIn(backend, tensor, region!);
    const scale = (attrs as unknown as ScaleAttrs).scale;
    m.attention_backward(q!.ptr, k!.ptr, v!.ptr, o!.ptr, dy!.ptr, lse!.ptr, dq!.ptr, dk!.ptr, dvr!.ptr, bh, nq, nk, d, dv, scale, work!.ptr);
    return [copyOut(backend, dq!, [bh, nq, d]), copyOut(backend, dk!, [bh, nk, d]), copyOut(backend, dvr!, [bh, nk, dv])];
  });
});

function run(kernel: string, inputs: Record<string, tf.Tensor>, scale: number): tf.Tensor[] {
  return tf.engine().runKernel(kernel, inputs as tf.NamedTensorMap, { scale } as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];
}

/** softmax(q·kᵀ·scale)·v with q: [B, heads, Nq, d], k: [B, heads, Nk, d], v: [B, heads, Nk, dv]; wasm only, float32. */
export function wasmFusedAttention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, scale: number): tf.Tensor4D {
  const [b, h, nq, d] = q.shape;
  const nk = k.shape[2];
  const dv = v.shape[3];
  const bh = b * h;
  return lazyGradOp([q, k, v], ([q4, k4, v4], save) => {
    const q3 = tf.reshape(q4, [bh, nq, d]);
    const k3 = tf.reshape(k4, [bh, nk, d]);
    const v3 = tf.reshape(v4, [bh, nk, dv]);
    const [out, lse] = run(FORWARD, { q: q3, k: k3, v: v3 }, scale) as [tf.Tensor3D, tf.Tensor2D];
    save([q3, k3, v3, out, lse]);
    return {
      value: tf.reshape(out, [b, h, nq, dv]) as tf.Tensor4D,
      gradFunc: (dy, saved, share) => {
        // One kernel call yields dQ, dK and dV; it runs once, for whichever is asked for first.
        const grads = share(() => {
          const [qs, ks, vs, os, ls] = saved as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.Tensor2D];
          return run(GRAD, { q: qs, k: ks, v: vs, o: os, dy: tf.reshape(dy, [bh, nq, dv]), lse: ls }, scale);
        });
        return [() => tf.reshape(grads()[0]!, [b, h, nq, d]), () => tf.reshape(grads()[1]!, [b, h, nk, d]), () => tf.reshape(grads()[2]!, [b, h, nk, dv])];
      },
    };
  });
}
