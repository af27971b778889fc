import * as tf from '@tensorflow/tfjs-core';
import { splitBlocks } from './wasm-blocks.js';
import { lazyGradOp, type GradClosure, type Shared } from './lazy-grad.js';
import { matMul } from './matmul.js';
import { flashAttention } from '../wgsl/attention.js';
import { onWebGPU } from '../wgsl/program.js';
import { wasmFusedAttention } from '../wasm-kernels/attention.js';
import { onWasmKernels } from '../wasm-kernels/module.js';

export interface AttentionOptions {
  /** Defaults to 1/√d. */
  scale?: number;
  /** Added to the scores before the softmax; broadcastable to [B, heads, Nq, Nk]. */
  bias?: tf.Tensor;
}

/**
 * Score matrices at least this large (Nq·Nk) go through the per-head path on wasm; below it the JS overhead
 * of the per-head loop costs more than the slow batched kernel.
 */
const SLICED_MIN_SCORES = 64 * 64;

/**
 * Whether scaledDotProductAttention takes the per-head path for these lengths on the current backend. That
 * path never holds more than one head's [Nq, Nk] scores, so callers need not chunk the queries for memory.
 */
export function usesPerHeadAttention(nq: number, nk: number, options: AttentionOptions = {}): boolean {
  return !options.bias && tf.getBackend() === 'wasm' && nq * nk >= SLICED_MIN_SCORES;
}

/**
 * Whether scaledDotProductAttention runs fused kernels (no bias; the WGSL kernels on webgpu, the wasm-kernels
 * module on wasm): O(N·d) memory per head.
 */
export function usesFusedAttention(options: AttentionOptions = {}): boolean {
  return !options.bias && (onWebGPU() || onWasmKernels());
}

/**
 * Whether scaledDotProductAttention never holds the whole [B, heads, Nq, Nk] score tensor for these lengths
 * (the per-head wasm path or the fused webgpu kernels), so callers need not chunk the queries for memory.
 */
export function boundsAttentionMemory(nq: number, nk: number, options: AttentionOptions = {}): boolean {
  return usesFusedAttention(options) || usesPerHeadAttention(nq, nk, options);
}

/** softmax(q·kᵀ·scale + bias)·v with q: [B, heads, Nq, d], k: [B, heads, Nk, d], v: [B, heads, Nk, dv]. */
export function scaledDotProductAttention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, options: AttentionOptions = {}): tf.Tensor4D {
  const d = q.shape[3];
  const scale = options.scale ?? 1 / Math.sqrt(d);
  if (usesFusedAttention(options) && q.dtype === 'float32') {
    // On wasm the fused kernel also wins without a tape (sampling), at every UNet shape: bench/micro/attention-forward.ts.
    return onWebGPU() ? flashAttention(q, k, v, scale) : wasmFusedAttention(q, k, v, scale);
  }
  if (usesPerHeadAttention(q.shape[2], k.shape[2], options)) return perHeadAttention(q, k, v, scale);
  let scores: tf.Tensor4D = matMul(tf.mul(q, scale) as tf.Tensor4D, k, false, true);
  if (options.bias) scores = tf.add(scores, options.bias);
  return matMul(tf.softmax(scores) as tf.Tensor4D, v);
}

/**
 * The same attention as one 2-D problem per (sample, head) (on wasm when the wasm-kernels module does not load;
 * exported for bench/micro/attention-forward.ts), written so every product is a plain 2-D matMul
 * (the only BatchMatMul form tfjs-wasm runs through XNNPACK; batched or transposed forms are 10–30× slower;
 * see matmul2d.ts). Per-head pieces are cut with splitBlocks (wasm-blocks.ts).
 * The gradient is hand-written on the same principle. It never transposes an Nq×Nk matrix (tfjs-wasm's 2-D
 * Transpose is slow): dV and dK are computed transposed, from operands transposed once for all heads. It
 * recomputes the probabilities per head instead of keeping them, so training memory stays O(N·d) per head.
 */
export function perHeadAttention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, scale: number): tf.Tensor4D {
  const [b, h, nq, d] = q.shape;
  const nk = k.shape[2];
  const dv = v.shape[3];
  const heads = b * h;
  const perHead = (x: tf.Tensor, rows: number, cols: number): tf.Tensor2D[] => splitBlocks(x, heads, rows, cols);
  const transposedPerHead = (x: tf.Tensor, rows: number, cols: number): tf.Tensor2D[] =>
    tf.tidy(() => splitBlocks(tf.transpose(tf.reshape(x, [heads, rows, cols]), [0, 2, 1]), heads, cols, rows));
  return lazyGradOp([q, k, v], ([q4, k4, v4], save) => {
    save([q4, k4, v4]);
    const value = tf.tidy(() => {
      const qs = perHead(tf.mul(q4, scale), nq, d);
      const kT = transposedPerHead(k4, nk, d);
      const vs = perHead(v4, nk, dv);
      const outs = qs.map((qi, i) => tf.tidy(() => tf.matMul(tf.softmax(tf.matMul(qi, kT[i]!)), vs[i]!)));
      return tf.reshape(tf.concat(outs), [b, h, nq, dv]) as tf.Tensor4D;
    });
    const gradFunc = (dy: tf.Tensor4D, saved: tf.Tensor[], share: (compute: () => tf.Tensor[]) => Shared): GradClosure[] => {
      // One per-head pass yields all three gradients; it runs once, for whichever is asked for first.
      const all = share(() => {
        const [qSaved, kSaved, vSaved] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
        const qScaled = tf.mul(qSaved, scale);
        const qs = perHead(qScaled, nq, d);
        const qT = transposedPerHead(qScaled, nq, d);
        const ksScaled = perHead(tf.mul(kSaved, scale), nk, d);
        const kT = transposedPerHead(kSaved, nk, d);
        const vs = perHead(vSaved, nk, dv);
        const vT = transposedPerHead(vSaved, nk, dv);
        const dys = perHead(dy, nq, dv);
        const dyT = transposedPerHead(dy, nq, dv);
        const dq: tf.Tensor[] = [];
        const dkT: tf.Tensor[] = [];
        const dvT: tf.Tensor[] = [];
        qs.forEach((qi, i) => {
          const grads = tf.tidy(() => {
            const p = tf.softmax(tf.matMul(qi, kT[i]!)); // [nq, nk], recomputed
            const dp = tf.matMul(dys[i]!, vT[i]!); // [nq, nk]
            // Σ_j dP_ij·P_ij = dY_i·O_i with O = P·V: an [nq, dv] product instead of an [nq, nk] one.
            const rowDot = tf.sum(tf.mul(dys[i]!, tf.matMul(p, vs[i]!)), 1, true);
            const ds = tf.mul(p, tf.sub(dp, rowDot));
            // dQ = dS·K·scale; dKᵀ = (Q·scale)ᵀ·dS; dVᵀ = dYᵀ·P.
            return [tf.matMul(ds, ksScaled[i]!), tf.matMul(qT[i]!, ds), tf.matMul(dyT[i]!, p)];
          });
          dq.push(grads[0]!);
          dkT.push(grads[1]!);
          dvT.push(grads[2]!);
        });
        return [
          tf.reshape(tf.concat(dq), [b, h, nq, d]),
          tf.reshape(tf.transpose(tf.reshape(tf.concat(dkT), [heads, d, nk]), [0, 2, 1]), [b, h, nk, d]),
          tf.reshape(tf.transpose(tf.reshape(tf.concat(dvT), [heads, dv, nk]), [0, 2, 1]), [b, h, nk, dv]),
        ];
      });
      return [() => all()[0]!, () => all()[1]!, () => all()[2]!];
    };
    return { value, gradFunc };
  });
}

/** [B, N, heads·d] -> [B, heads, N, d] (diffusers head_to_batch_dim order). */
export function splitHeads(x: tf.Tensor3D, heads: number): tf.Tensor4D {
  const [b, n, inner] = x.shape;
  if (inner % heads !== 0) throw new Error(`splitHeads: inner dim ${inner} is not divisible by ${heads} heads`);
  return tf.transpose(tf.reshape(x, [b, n, heads, inner / heads]), [0, 2, 1, 3]);
}

/** [B, heads, N, d] -> [B, N, heads·d]. */
export function mergeHeads(x: tf.Tensor4D): tf.Tensor3D {
  const [b, h, n, d] = x.shape;
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [b, n, h * d]);
}
