// Starts tfjs's webgpu backend for the GPU benchmark the way SONIC_BACKEND=webgpu does (src/compute/webgpu:
// any Dawn adapter, a software one such as SwiftShader included). Which driver Dawn sees is the Vulkan
// loader's business: VK_DRIVER_FILES names SwiftShader here, the NVIDIA ICD on the GPU machine.
import * as tf from '@tensorflow/tfjs-core';
import { prepareWebGpu } from '../../src/compute/webgpu/select-webgpu.js';

export interface GpuInfo {
  device: string;
  vendor: string;
  architecture: string;
  description: string;
  timestampQuery: boolean;
}

export async function startWebGpu(): Promise<GpuInfo> {
  const attempt = await prepareWebGpu({ forced: true });
  if (!attempt.ok) throw new Error(`WebGPU: ${attempt.why}`);
  if (!(await tf.setBackend('webgpu'))) throw new Error('the tfjs webgpu backend failed to start');
  await tf.ready();
  const { name, vendor, architecture, description } = attempt.adapter;
  const timestampQuery = (tf.backend() as unknown as { supportTimestampQuery?: boolean }).supportTimestampQuery === true;
  return { device: name, vendor, architecture, description, timestampQuery };
}
