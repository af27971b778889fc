// The webgpu step of backend selection: probe Dawn's adapters, choose one (adapter-choice.ts), register
// tfjs's webgpu backend on it. The Vulkan loader reads the real process environment (VK_DRIVER_FILES …),
// so the probe does too; SONIC_* settings come from the caller's env.
import { chooseAdapter, type AdapterRequest } from './adapter-choice.js';
import { probeDawnAdapters, type DawnAdapter } from './dawn-adapters.js';
import { activeWebGpuAdapter, registerWebGpuBackend } from './activate-webgpu.js';

export type WebGpuAttempt = { ok: true; adapter: DawnAdapter; why: string } | { ok: false; why: string };

export async function prepareWebGpu(request: AdapterRequest): Promise<WebGpuAttempt> {
  const current = activeWebGpuAdapter();
  // dawn.node and tfjs hold one device per process: once registered, later selections reuse it.
  const probe = current ? { ok: true as const, adapters: [current] } : await probeDawnAdapters(process.env);
  if (!probe.ok) return probe;
  const choice = chooseAdapter(probe.adapters, current ? { ...request, gpus: undefined, name: undefined } : request);
  if (!choice.ok) return choice;
  try {
    await registerWebGpuBackend(choice.adapter);
  } catch (e) {
    return { ok: false, why: `tfjs webgpu backend failed to register: ${(e as Error).message}` };
  }
  return choice;
}
