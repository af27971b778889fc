// Registers tfjs's webgpu backend on one Dawn adapter. @tensorflow/tfjs-backend-webgpu registers its backend
// only if `navigator.gpu` exists when the module is evaluated, and its factory takes whatever adapter
// `navigator.gpu.requestAdapter()` returns; a dawn.node GPU created with `adapter=<name>` returns exactly
// that adapter. So: WebGPU globals and navigator.gpu first, then the dynamic import, then setBackend.
import * as tf from '@tensorflow/tfjs-core';
import { loadDawn, type DawnAdapter } from './dawn-adapters.js';
import { rememberBackendKernels } from '../kernel-profile.js';

let active: DawnAdapter | undefined;

/** The adapter the webgpu backend runs on in this process, once activated. */
export function activeWebGpuAdapter(): DawnAdapter | undefined {
  return active;
}

export async function registerWebGpuBackend(adapter: DawnAdapter): Promise<void> {
  if (active) {
    if (active.name !== adapter.name) throw new Error(`the webgpu backend already runs on '${active.name}' in this process; it cannot move to '${adapter.name}'`);
    return;
  }
  const dawn = await loadDawn();
  for (const [key, value] of Object.entries(dawn.globals)) {
    if (!(key in globalThis)) Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
  }
  const gpu = dawn.create([`adapter=${adapter.name}`]);
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true, writable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  explainSyncReads(WebGPUBackend.prototype as unknown as SyncReader);
  rememberBackendKernels('webgpu');
  if (!tf.findBackendFactory('webgpu')) throw new Error('@tensorflow/tfjs-backend-webgpu registered no webgpu backend (navigator.gpu was not visible to it)');
  active = adapter;
}

interface SyncReader {
  readSync(dataId: object): unknown;
  tensorMap: { get(dataId: object): { values?: unknown } | undefined };
}

/**
 * tfjs-webgpu reads synchronously through OffscreenCanvas, which Node lacks ("OffscreenCanvas is not defined").
 * Values already on the host (uploaded, or read once with `await t.data()`) are still served; anything else
 * fails with a message saying what to do instead.
 */
function explainSyncReads(proto: SyncReader): void {
  const original = proto.readSync;
  proto.readSync = function (this: SyncReader, dataId: object) {
    if (this.tensorMap.get(dataId)?.values == null && typeof (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas === 'undefined') {
      throw new Error('dataSync()/arraySync() cannot read a tensor from the GPU on the webgpu backend in Node: use `await tensor.data()` (or readToHost from src/compute/host-read.ts) first');
    }
    return original.call(this, dataId);
  };
}
