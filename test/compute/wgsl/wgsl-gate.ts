// Starts tfjs's webgpu backend for the WGSL kernel tests, on the SwiftShader software Vulkan driver where no
// GPU exists. The tests skip, saying how to get the driver, when none is found, unless SONIC_REQUIRE_WEBGPU=1
// (CI): then they run and fail. The ICD comes from SONIC_VK_ICD, VK_DRIVER_FILES / VK_ICD_FILENAMES, or
// .cache/swiftshader/vk_swiftshader_icd.json in the repository.
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { repoPath } from '../tf-test-utils.js';

function findIcd(): string | undefined {
  const env = process.env;
  for (const candidate of [env.SONIC_VK_ICD, env.VK_DRIVER_FILES, env.VK_ICD_FILENAMES, repoPath('.cache/swiftshader/vk_swiftshader_icd.json')]) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  return undefined;
}

let started: Promise<string | undefined> | undefined;

async function start(): Promise<string | undefined> {
  const icd = findIcd();
  if (!icd && process.env.SONIC_REQUIRE_WEBGPU !== '1') {
    return 'no Vulkan driver for WebGPU: put SwiftShader in .cache/swiftshader (bash /work/shared/gpu/cpu/get-swiftshader.sh) or set VK_DRIVER_FILES; SONIC_REQUIRE_WEBGPU=1 turns this skip into a failure';
  }
  if (icd) process.env.VK_DRIVER_FILES = icd;
  const { create, globals } = (await import('webgpu' as string)) as { create: (o: string[]) => unknown; globals: object };
  Object.assign(globalThis, globals);
  Object.defineProperty(globalThis, 'navigator', { value: { gpu: create([]) }, configurable: true, writable: true });
  await import('@tensorflow/tfjs-backend-webgpu');
  return undefined;
}

export function webgpuSkipReason(): Promise<string | undefined> {
  started ??= start();
  return started;
}

export async function useWebGpu(): Promise<void> {
  if (!(await tf.setBackend('webgpu'))) throw new Error('the webgpu backend failed to start');
  await tf.ready();
}
