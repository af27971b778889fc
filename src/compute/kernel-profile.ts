// Guards against hot paths silently leaving the chosen backend: profiles which kernels a computation runs
// and checks each is the backend's own kernel, not one registered later (e.g. a cpu fallback registered for
// wasm with tf.registerKernel), and that known-slow or unsupported kernels are absent.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { isProjectKernel } from './project-kernels.js';

/** The kernels each backend package registered, captured when this module is first imported. */
const NATIVE = new Map<string, Map<string, tf.KernelConfig>>();
for (const backend of ['wasm', 'cpu']) rememberBackendKernels(backend);

/** Records a backend's own kernels; a backend package loaded later (webgpu) calls this right after its import. */
export function rememberBackendKernels(backend: string): void {
  if (!NATIVE.has(backend)) NATIVE.set(backend, new Map(tf.getKernelsForBackend(backend).map((k) => [k.kernelName, k])));
}

export interface KernelUse {
  name: string;
  calls: number;
  ms: number;
}

export interface KernelProfile {
  backend: string;
  kernels: KernelUse[]; // sorted by total time, largest first
}

/** Runs fn under tf.profile and summarises kernel calls; fn's result is returned too. */
export async function profileKernels<T extends tf.TensorContainer>(fn: () => T): Promise<{ profile: KernelProfile; result: T }> {
  const backend = tf.getBackend();
  let result: T | undefined;
  const info = await tf.profile(() => {
    result = fn();
    return result;
  });
  const byName = new Map<string, KernelUse>();
  for (const k of info.kernels) {
    const ms = await Promise.resolve(k.kernelTimeMs);
    const use = byName.get(k.name) ?? { name: k.name, calls: 0, ms: 0 };
    use.calls += 1;
    use.ms += typeof ms === 'number' ? ms : 0;
    byName.set(k.name, use);
  }
  const kernels = [...byName.values()].sort((a, b) => b.ms - a.ms);
  return { profile: { backend, kernels }, result: result as T };
}

export interface NoFallbackOptions {
  /** Backend every kernel must belong to (default: the profile's backend). */
  backend?: string;
  /** Kernel names that must not appear (default: Conv2DBackpropFilter, which wasm lacks). */
  forbid?: string[];
}

/**
 * Throws, naming every offender, if the profile ran on another backend, used a kernel that is not the
 * backend package's own registration (a fallback) or one of the project's kernels (src/compute/wgsl, wasm-kernels),
 * or used a forbidden kernel. Names registered on no
 * backend at all are engine scopes (custom-gradient wrappers), not kernels, and are ignored.
 */
export function assertNoCpuFallback(profile: KernelProfile, options: NoFallbackOptions = {}): void {
  const backend = options.backend ?? profile.backend;
  const forbid = new Set(options.forbid ?? ['Conv2DBackpropFilter']);
  const problems: string[] = [];
  if (profile.backend !== backend) problems.push(`ran on backend '${profile.backend}', expected '${backend}'`);
  const native = NATIVE.get(backend) ?? new Map(tf.getKernelsForBackend(backend).map((k) => [k.kernelName, k]));
  for (const { name, calls } of profile.kernels) {
    if (forbid.has(name)) problems.push(`forbidden kernel ${name} (${calls} calls)`);
    const registered = tf.getKernel(name, backend);
    if (registered === undefined) {
      if (isKernelAnywhere(name)) problems.push(`${name} is not a '${backend}' kernel`);
      continue;
    }
    if (native.get(name) !== registered && !isProjectKernel(name, backend)) problems.push(`${name} on '${backend}' is a later registration (fallback), not the backend's own kernel`);
  }
  if (problems.length) throw new Error(`kernel check failed:\n  ${problems.join('\n  ')}`);
}

function isKernelAnywhere(name: string): boolean {
  for (const kernels of NATIVE.values()) if (kernels.has(name)) return true;
  return false;
}
