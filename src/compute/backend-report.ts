// What `sonic doctor` says about compute: each tfjs backend, whether it loads here, whether `auto` would
// take it and why, and the Dawn adapters with the limits that bound model size.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { tryNative, type BackendName } from './backend.js';
import { probeDawnAdapters, type DawnAdapter } from './webgpu/dawn-adapters.js';
import { SWIFTSHADER_INSTALL_HINT } from './webgpu/vulkan-icd.js';

export interface BackendStatus {
  name: BackendName;
  /** Starts here (with SONIC_BACKEND=<name>). */
  loads: boolean;
  /** `auto` would take it if nothing before it in the order does. */
  auto: boolean;
  why: string;
}

export interface ComputeReport {
  backends: BackendStatus[];
  adapters: DawnAdapter[];
  /** What `auto` picks: the first backend with auto = true. */
  autoPick: BackendName;
}

export async function computeReport(): Promise<ComputeReport> {
  const backends: BackendStatus[] = [];
  const native = await tryNative();
  backends.push(
    native.ok
      ? { name: 'tensorflow', loads: true, auto: true, why: `${native.pkg} is installed` }
      : { name: 'tensorflow', loads: false, auto: false, why: `${native.why}; needs CUDA 11.2 + cuDNN 8.1 and downloads libtensorflow at install (npm install @tensorflow/tfjs-node-gpu)` },
  );
  const probe = await probeDawnAdapters(process.env);
  const adapters = probe.ok ? probe.adapters : [];
  const hardware = adapters.filter((a) => !a.isFallback);
  if (hardware.length > 0) {
    backends.push({ name: 'webgpu', loads: true, auto: true, why: `hardware adapter ${hardware[0]!.index} '${hardware[0]!.name}' (${hardware[0]!.backend})` });
  } else if (adapters.length > 0) {
    backends.push({ name: 'webgpu', loads: true, auto: false, why: `only fallback (software) adapters: ${adapters.map((a) => `'${a.name}'`).join(', ')}; used only with SONIC_BACKEND=webgpu (slow; for testing and small checks)` });
  } else {
    backends.push({ name: 'webgpu', loads: false, auto: false, why: `${probe.ok ? 'no adapter' : probe.why}. With a GPU: install its Vulkan/Metal/D3D12 driver. Without one: ${SWIFTSHADER_INSTALL_HINT}` });
  }
  for (const name of ['wasm', 'cpu'] as const) {
    let loads = false;
    let error = '';
    try {
      loads = await tf.setBackend(name);
    } catch (e) {
      error = (e as Error).message;
    }
    const why =
      name === 'wasm' ? 'WebAssembly with SIMD; about 2 GiB usable heap, too small for SD-1.4 (3.31 GiB of weights)' : 'pure JavaScript; any model that fits host memory, 10–50× slower than wasm';
    backends.push({ name, loads, auto: loads, why: loads ? why : `failed to start${error ? `: ${error}` : ''}` });
  }
  return { backends, adapters, autoPick: backends.find((b) => b.auto)?.name ?? 'cpu' };
}
