// webgpu tests run on the SwiftShader software Vulkan driver where no GPU exists. They skip with a message
// saying how to install it when no driver is found, unless SONIC_REQUIRE_WEBGPU=1 (CI): then they run and
// fail. The ICD comes from SONIC_VK_ICD, VK_DRIVER_FILES / VK_ICD_FILENAMES, or .cache/swiftshader; it is
// exported as VK_DRIVER_FILES before Dawn starts, because the Vulkan loader reads it from the environment.
import { findSoftwareIcd, SWIFTSHADER_INSTALL_HINT } from '../../../src/compute/webgpu/vulkan-icd.js';
import { probeDawnAdapters } from '../../../src/compute/webgpu/dawn-adapters.js';
import { selectBackend } from '../../../src/compute/backend.js';
import { tf, useBackend } from '../tf-test-utils.js';

export async function webgpuSkipReason(): Promise<string | undefined> {
  const icd = findSoftwareIcd();
  if (icd) process.env.VK_DRIVER_FILES = icd;
  const probe = await probeDawnAdapters(process.env);
  if (probe.ok && probe.adapters.length > 0) return undefined;
  if (process.env.SONIC_REQUIRE_WEBGPU === '1') return undefined;
  const why = probe.ok ? 'no adapter' : probe.why;
  return `no WebGPU adapter (${why}): ${SWIFTSHADER_INSTALL_HINT}; SONIC_REQUIRE_WEBGPU=1 turns this skip into a failure`;
}

/** Selects the webgpu backend the way SONIC_BACKEND=webgpu does (a software adapter is accepted). */
export async function useWebGpu(): Promise<void> {
  const choice = await selectBackend({ env: { SONIC_BACKEND: 'webgpu' } });
  if (choice.name !== 'webgpu') throw new Error(`expected the webgpu backend, got ${choice.name}`);
}

/** Runs fn on a backend ('webgpu' as forced) and reads every returned tensor asynchronously. */
export async function valuesOnAsync(backend: 'webgpu' | 'cpu' | 'wasm', fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  if (backend === 'webgpu') await useWebGpu();
  else await useBackend(backend);
  const outs = tf.tidy(fn);
  const values = await Promise.all(outs.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose(outs);
  return values;
}
