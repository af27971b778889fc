// The project's own WebAssembly module (sonic-kernels.wasm, built from csrc/ by scripts/wasm-kernels/build.sh
// and committed) and the data path between it and tfjs's wasm backend. The backend keeps tensors in its own
// emscripten heap; a kernel copies its inputs into this module's memory, runs, and copies the outputs into
// fresh backend tensors. The copies are O(size) per call, small next to the work of the fused kernels.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { registerProjectKernel } from '../project-kernels.js';

// The few WebAssembly JS-API types used here (the project compiles against ES2022 + node, without the DOM lib).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const WebAssembly = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** dist/src/compute/wasm-kernels/module.js -> the committed .wasm under src/ (shipped with the package). */
const WASM_URL = new URL('../../../../src/compute/wasm-kernels/sonic-kernels.wasm', import.meta.url);

export interface KernelExports {
  memory: WasmMemory;
  __heap_base: { value: number };
  attention_scratch_floats(nk: number, d: number, dv: number): number;
  attention_forward(q: number, k: number, v: number, o: number, lse: number, bh: number, nq: number, nk: number, d: number, dv: number, scale: number, scratch: number): void;
  attention_backward(
    q: number, k: number, v: number, o: number, dout: number, lse: number, dq: number, dk: number, dv: number,
    bh: number, nq: number, nk: number, d: number, dvDim: number, scale: number, scratch: number,
  ): void;
  group_norm_scratch_floats(c: number): number;
  group_norm_forward(x: number, gamma: number, beta: number, y: number, stats: number, n: number, p: number, c: number, groups: number, eps: number, silu: number, scratch: number): void;
  group_norm_backward(
    x: number, dy: number, gamma: number, beta: number, stats: number, dx: number, dgamma: number, dbeta: number,
    n: number, p: number, c: number, groups: number, silu: number, scratch: number,
  ): void;
  gelu_forward(x: number, y: number, n: number): void;
  gelu_backward(x: number, dy: number, dx: number, n: number): void;
  adamw_step(p: number, m: number, v: number, g: number, n: number, decay: number, oneMinusB1: number, b2: number, oneMinusB2: number, bc2Sqrt: number, eps: number, stepSize: number): void;
}

let loaded: KernelExports | Error | undefined;

/** The module's exports, compiled on first use (synchronously: kernels run synchronously). */
export function kernelModule(): KernelExports {
  if (loaded === undefined) {
    try {
      const module = new WebAssembly.Module(readFileSync(WASM_URL));
      loaded = new WebAssembly.Instance(module, {}).exports as unknown as KernelExports;
    } catch (e) {
      loaded = new Error(`the wasm kernels (${WASM_URL.pathname}) did not load: ${(e as Error).message}`);
    }
  }
  if (loaded instanceof Error) throw loaded;
  return loaded;
}

/** Whether the fused wasm kernels serve the current computation: the wasm backend, and the module loads. */
export function onWasmKernels(): boolean {
  if (tf.getBackend() !== 'wasm') return false;
  try {
    kernelModule();
    return true;
  } catch {
    return false;
  }
}

/** A region of the module's memory, in floats. */
export interface Region {
  ptr: number; // byte offset
  view: Float32Array;
}

/**
 * Lays out regions of `floats[i]` floats from the module's heap base (16-byte aligned), grows the memory to
 * hold them and runs fn. Every call starts again at the heap base: nothing outlives the call, and the memory
 * stays at the largest size a call needed.
 */
export function withRegions<T>(floats: number[], fn: (regions: Region[], k: KernelExports) => T): T {
  const k = kernelModule();
  let top = k.__heap_base.value;
  const ptrs = floats.map((n) => {
    const ptr = Math.ceil(top / 16) * 16;
    top = ptr + 4 * n;
    return ptr;
  });
  const have = k.memory.buffer.byteLength;
  if (top > have) k.memory.grow(Math.ceil((top - have) / 65536));
  const buffer = k.memory.buffer;
  return fn(ptrs.map((ptr, i) => ({ ptr, view: new Float32Array(buffer, ptr, floats[i]!) })), k);
}

/** What a kernel needs from tfjs-backend-wasm's BackendWasm. */
interface WasmBackendLike {
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

function asWasm(backend: unknown): WasmBackendLike {
  const b = backend as Partial<WasmBackendLike>;
  if (typeof b.typedArrayFromHeap !== 'function' || typeof b.makeOutput !== 'function') throw new Error('a wasm-kernels kernel ran on a backend that is not wasm');
  return b as WasmBackendLike;
}

/** Copies a float32 backend tensor into a region. */
export function copyIn(backend: unknown, t: tf.TensorInfo, region: Region): void {
  if (t.dtype !== 'float32') throw new Error(`wasm kernels take float32 tensors, got ${t.dtype}`);
  region.view.set(asWasm(backend).typedArrayFromHeap(t));
}

/** A new float32 backend tensor of `shape` holding a region's values. */
export function copyOut(backend: unknown, region: Region, shape: number[]): tf.TensorInfo {
  const wasm = asWasm(backend);
  const out = wasm.makeOutput(shape, 'float32');
  wasm.typedArrayFromHeap(out).set(region.view); // after makeOutput: its allocation may have moved the heap
  return out;
}

/** Registers one of the module's kernels for the wasm backend. */
export function registerWasmKernel(kernelName: string, kernelFunc: tf.KernelFunc): void {
  registerProjectKernel(kernelName, 'wasm', kernelFunc);
}

/** Number of elements of a tensor. */
export function size(t: tf.TensorInfo): number {
  return t.shape.reduce((a, b) => a * b, 1);
}
