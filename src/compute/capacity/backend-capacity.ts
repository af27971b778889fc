// What the active tfjs backend can hold, and the up-front check a stage runs before building a model: a
// model that cannot fit fails at once, naming its size, the limit and what to install or pass instead,
// rather than aborting mid-run (tfjs-wasm's `Aborted()`).
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { activeWebGpuAdapter } from '../webgpu/activate-webgpu.js';
import type { DawnAdapter } from '../webgpu/dawn-adapters.js';

const GiB = 2 ** 30;
/**
 * tfjs-wasm's heap is a 4 GiB wasm32 address space, but the backend crashes ("memory access out of bounds",
 * `Aborted()`) once it passes about 2 GiB (see src/sonic/unet/attention.ts); SD-1.4's 3.31 GiB of weights
 * load and the first forward aborts.
 */
export const WASM_USABLE_BYTES = 2 * GiB;

export interface BackendCapacity {
  backend: string;
  /** Everything the model needs must fit here; undefined when the backend does not say. */
  memoryBytes?: number;
  memoryWhat: string;
  /** Every single tensor must fit here (WebGPU: min(maxBufferSize, maxStorageBufferBindingSize)). */
  maxTensorBytes?: number;
  tensorWhat?: string;
}

export function backendCapacity(backend: string = tf.getBackend()): BackendCapacity {
  switch (backend) {
    case 'wasm':
      return { backend, memoryBytes: WASM_USABLE_BYTES, memoryWhat: 'usable WebAssembly heap (tfjs-wasm fails past ~2 GiB of its 4 GiB address space)' };
    case 'cpu':
      return { backend, memoryBytes: os.totalmem(), memoryWhat: 'host memory' };
    case 'webgpu': {
      const a = activeWebGpuAdapter();
      return a ? adapterCapacity(a) : { backend, memoryWhat: 'unknown (no adapter recorded)' };
    }
    default:
      return { backend, memoryWhat: `not known for the ${backend} backend` };
  }
}

/** What the webgpu backend on this Dawn adapter can hold. */
export function adapterCapacity(a: DawnAdapter): BackendCapacity {
  const maxTensorBytes = Math.min(a.maxBufferSize, a.maxStorageBufferBindingSize);
  const tensorWhat = `largest buffer of adapter '${a.name}' (maxBufferSize ${a.maxBufferSize}, maxStorageBufferBindingSize ${a.maxStorageBufferBindingSize})`;
  // A software adapter (SwiftShader) allocates in host memory; WebGPU does not report a GPU's memory.
  if (a.isFallback) return { backend: 'webgpu', memoryBytes: os.totalmem(), memoryWhat: `host memory (software adapter '${a.name}')`, maxTensorBytes, tensorWhat };
  return { backend: 'webgpu', memoryWhat: `device memory of '${a.name}' (not reported by WebGPU)`, maxTensorBytes, tensorWhat };
}

export interface ModelNeed {
  /** e.g. "UNet2DCondition from models/…/unet (sampling at 8×8 latents, batch 2)". */
  model: string;
  parameters: number;
  weightBytes: number;
  totalBytes: number;
  largestTensorBytes: number;
}

export class CapacityError extends Error {
  override name = 'CapacityError';
}

export function formatGiB(bytes: number): string {
  return `${(bytes / GiB).toFixed(2)} GiB`;
}

const ADVICE: Record<string, string> = {
  wasm:
    'A model this size needs a GPU backend: install your GPU\'s Vulkan (Linux), Metal (macOS) or D3D12 (Windows) driver so the webgpu backend finds a hardware adapter, or install @tensorflow/tfjs-node-gpu; `sonic doctor` shows what this machine can use. Without a GPU, SONIC_BACKEND=webgpu runs it on the SwiftShader software adapter (scripts/webgpu/install-swiftshader.sh; slow) and SONIC_BACKEND=cpu on the pure-JS backend (slower). See docs/reproduce-paper.md#hardware.',
  webgpu:
    'Use a GPU with larger limits (`sonic doctor` lists the adapters and their limits; SONIC_WEBGPU_ADAPTER or --gpus picks one), a smaller batch or latent size, or SONIC_BACKEND=tensorflow with @tensorflow/tfjs-node-gpu. See docs/reproduce-paper.md#hardware.',
  cpu: 'Use a machine with more memory, a smaller batch or latent size, or a GPU backend (`sonic doctor`). See docs/reproduce-paper.md#hardware.',
};

/** Throws CapacityError when the model cannot fit the backend; returns a one-line summary when it can. */
export function assertModelFits(need: ModelNeed, capacity: BackendCapacity = backendCapacity()): string {
  const size = `${need.parameters.toLocaleString('en-US')} parameters, ${formatGiB(need.weightBytes)} of fp32 weights, about ${formatGiB(need.totalBytes)} with activations`;
  const advice = ADVICE[capacity.backend] ?? '';
  if (capacity.memoryBytes !== undefined && need.totalBytes > capacity.memoryBytes) {
    throw new CapacityError(
      `${need.model} needs ${size}: more than the ${capacity.backend} backend's ${capacity.memoryWhat}, ${formatGiB(capacity.memoryBytes)}. ${advice}`.trim(),
    );
  }
  if (capacity.maxTensorBytes !== undefined && need.largestTensorBytes > capacity.maxTensorBytes) {
    throw new CapacityError(
      `${need.model} needs ${size}; its largest tensor, ${formatGiB(need.largestTensorBytes)}, exceeds the ${capacity.tensorWhat}, ${formatGiB(capacity.maxTensorBytes)}. ${advice}`.trim(),
    );
  }
  const limit = capacity.memoryBytes !== undefined ? `${formatGiB(capacity.memoryBytes)} ${capacity.memoryWhat}` : capacity.memoryWhat;
  return `${need.model}: ${size}; fits the ${capacity.backend} backend (${limit})`;
}
