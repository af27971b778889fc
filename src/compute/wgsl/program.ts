// What the project's WGSL kernels need from tfjs's webgpu backend, typed locally so that nothing here imports
// @tensorflow/tfjs-backend-webgpu (which only registers itself where navigator.gpu exists). A program is run
// with backend.runWebGPUProgram: tfjs prepends the bindings (`result` for the output, one read-only storage
// array per variable name), a `uniforms` struct (input and output shapes, then the program's own fields) and
// `_start`, which calls our `main(index)` with the flat global invocation index.
import * as tf from '@tensorflow/tfjs-core';
import { registerProjectKernel } from '../project-kernels.js';

export interface ProgramUniform {
  type: 'int32' | 'float32' | 'uint32';
  data: number[];
}

export interface WebGPUProgram {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[]; y?: number[]; z?: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  uniforms?: string;
  size?: boolean;
  getUserCode(): string;
}

export interface WebGPUBackendLike {
  runWebGPUProgram(program: WebGPUProgram, inputs: tf.TensorInfo[], outputDtype: tf.DataType, uniforms?: ProgramUniform[]): tf.TensorInfo;
  device: { limits: { maxComputeWorkgroupStorageSize: number } };
}

/**
 * A program whose work is `workgroups` workgroups of `threads` invocations each. The dispatch is flat
 * (tfjs folds it into 2-D or 3-D past 65535 workgroups and getGlobalIndex() unfolds it), so the WGSL side
 * recovers its workgroup as `index / threads` and its lane as `i32(localIndex)`.
 */
export abstract class TiledProgram implements WebGPUProgram {
  abstract variableNames: string[];
  abstract shaderKey: string;
  abstract uniforms?: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];

  constructor(
    public outputShape: number[],
    workgroups: number,
    threads: number,
  ) {
    this.dispatchLayout = { x: outputShape.map((_, i) => i) };
    this.dispatch = [workgroups, 1, 1];
    this.workgroupSize = [threads, 1, 1];
  }

  abstract getUserCode(): string;
}

/** An elementwise program: one invocation per output element, `main(index)` guarded by uniforms.size. */
export abstract class ElementwiseProgram implements WebGPUProgram {
  abstract variableNames: string[];
  abstract shaderKey: string;
  abstract uniforms?: string;
  size = true;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [256, 1, 1];

  constructor(public outputShape: number[]) {
    this.dispatchLayout = { x: outputShape.map((_, i) => i) };
    this.dispatch = [Math.ceil(outputShape.reduce((a, b) => a * b, 1) / 256), 1, 1];
  }

  abstract getUserCode(): string;
}

export function asWebGPU(backend: unknown): WebGPUBackendLike {
  const b = backend as Partial<WebGPUBackendLike>;
  if (typeof b.runWebGPUProgram !== 'function') throw new Error('a WGSL kernel ran on a backend that is not webgpu');
  return b as WebGPUBackendLike;
}

/** Bytes of workgroup memory a kernel may use: the device's limit, capped so occupancy stays reasonable. */
export function workgroupBytes(backend: WebGPUBackendLike, cap = 32768): number {
  return Math.min(backend.device.limits.maxComputeWorkgroupStorageSize, cap);
}

/** Registers one of the project's WGSL kernels for the webgpu backend (kernel-profile.ts counts them as native). */
export function registerWebGpuKernel(kernelName: string, kernelFunc: tf.KernelFunc): void {
  registerProjectKernel(kernelName, 'webgpu', kernelFunc);
}

/** Whether the project's WGSL kernels serve the current computation. */
export function onWebGPU(): boolean {
  return tf.getBackend() === 'webgpu';
}

/** WGSL float literal (always has a decimal point or exponent). */
export function f32(x: number): string {
  const s = String(x);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}
