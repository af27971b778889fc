// Starts tfjs's webgpu backend on Dawn (npm `webgpu`) for the GPU benchmark: WebGPU globals and
// navigator.gpu first, then @tensorflow/tfjs-backend-webgpu (it registers itself only if navigator.gpu
// exists when it is evaluated), then setBackend. Which driver Dawn uses is the Vulkan loader's business:
// VK_DRIVER_FILES names SwiftShader here, the NVIDIA ICD on the GPU machine.
import * as tf from '@tensorflow/tfjs-core';

export interface GpuInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  timestampQuery: boolean;
}

interface DawnAdapter {
  info: { vendor: string; architecture: string; device: string; description: string };
  features: Set<string>;
}

export async function startWebGpu(): Promise<GpuInfo> {
  const dawn = (await import('webgpu' as string)) as { create: (o: string[]) => { requestAdapter(): Promise<DawnAdapter | null> }; globals: object };
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error('WebGPU: no adapter (is a Vulkan driver installed? VK_DRIVER_FILES names its ICD manifest)');
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu'))) throw new Error('the tfjs webgpu backend failed to start');
  await tf.ready();
  const { vendor, architecture, device, description } = adapter.info;
  return { vendor, architecture, device, description, timestampQuery: adapter.features.has('timestamp-query') };
}
