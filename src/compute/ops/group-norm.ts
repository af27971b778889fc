import * as tf from '@tensorflow/tfjs-core';
import { silu } from './activations.js';
import { fusedGroupNorm } from '../wgsl/group-norm.js';
import { onWebGPU } from '../wgsl/program.js';
import { wasmFusedGroupNorm } from '../wasm-kernels/group-norm.js';
import { onWasmKernels } from '../wasm-kernels/module.js';

/**
 * torch.nn.GroupNorm on channels-last input [N, ..., C] (NHWC or [N, L, C]): biased variance per
 * (sample, group) over all positions and the group's channels; gamma/beta are [C]. On webgpu one fused WGSL
 * kernel pair (../wgsl/group-norm.ts), on wasm one kernel of the project's module (../wasm-kernels/group-norm.ts).
 */
export function groupNorm<T extends tf.Tensor>(x: T, groups: number, gamma: tf.Tensor1D | null, beta: tf.Tensor1D | null, eps = 1e-5): T {
  checkShape(x, groups);
  if (x.dtype === 'float32' && onWebGPU()) return fusedGroupNorm(x, groups, ...affine(x, gamma, beta), eps, false);
  if (x.dtype === 'float32' && onWasmKernels()) return wasmFusedGroupNorm(x, groups, ...affine(x, gamma, beta), eps, false);
  return composedGroupNorm(x, groups, gamma, beta, eps);
}

/** silu(groupNorm(…)); on webgpu and wasm fused into the normalising kernel, elsewhere exactly those two ops. */
export function groupNormSilu<T extends tf.Tensor>(x: T, groups: number, gamma: tf.Tensor1D | null, beta: tf.Tensor1D | null, eps = 1e-5): T {
  checkShape(x, groups);
  if (x.dtype === 'float32' && onWebGPU()) return fusedGroupNorm(x, groups, ...affine(x, gamma, beta), eps, true);
  if (x.dtype === 'float32' && onWasmKernels()) return wasmFusedGroupNorm(x, groups, ...affine(x, gamma, beta), eps, true);
  return silu(composedGroupNorm(x, groups, gamma, beta, eps));
}

function checkShape(x: tf.Tensor, groups: number): void {
  if (x.rank < 2) throw new Error(`groupNorm: expected [N, ..., C], got shape [${x.shape}]`);
  const c = x.shape[x.rank - 1]!;
  if (c % groups !== 0) throw new Error(`groupNorm: ${c} channels are not divisible into ${groups} groups`);
}

function affine(x: tf.Tensor, gamma: tf.Tensor1D | null, beta: tf.Tensor1D | null): [tf.Tensor1D, tf.Tensor1D] {
  const c = x.shape[x.rank - 1]!;
  return [gamma ?? tf.ones([c]), beta ?? tf.zeros([c])];
}

function composedGroupNorm<T extends tf.Tensor>(x: T, groups: number, gamma: tf.Tensor1D | null, beta: tf.Tensor1D | null, eps: number): T {
  const n = x.shape[0]!;
  const c = x.shape[x.rank - 1]!;
  const grouped = tf.reshape(x, [n, -1, groups, c / groups]);
  const { mean, variance } = tf.moments(grouped, [1, 3], true);
  const normed = tf.mul(tf.sub(grouped, mean), tf.rsqrt(tf.add(variance, eps)));
  let y: tf.Tensor = tf.reshape(normed, x.shape);
  if (gamma) y = tf.mul(y, gamma);
  if (beta) y = tf.add(y, beta);
  return y as T;
}
