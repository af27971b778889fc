// The project's own tfjs kernels (WGSL programs on webgpu, the wasm-kernels module on wasm), registered here
// so kernel-profile.ts counts them as native kernels of their backend rather than as fallbacks.
import * as tf from '@tensorflow/tfjs-core';

const PROJECT_KERNELS = new Map<string, Set<string>>();

/** Registers one of the project's kernels for `backendName`. */
export function registerProjectKernel(kernelName: string, backendName: string, kernelFunc: tf.KernelFunc): void {
  let names = PROJECT_KERNELS.get(backendName);
  if (!names) PROJECT_KERNELS.set(backendName, (names = new Set()));
  names.add(kernelName);
  tf.registerKernel({ kernelName, backendName, kernelFunc });
}

/** Whether `kernelName` on `backend` is one of the project's own kernels. */
export function isProjectKernel(kernelName: string, backend: string): boolean {
  return PROJECT_KERNELS.get(backend)?.has(kernelName) ?? false;
}
