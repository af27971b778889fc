// Chooses the tfjs backend for a stage: the native TensorFlow binding when installed (optional dependency),
// else WebGPU (Dawn) on a hardware GPU adapter, else WebAssembly (SIMD), else the pure-JS cpu backend.
// `SONIC_BACKEND` overrides the caller's request, so an operator can force a backend for one run without
// editing the pipeline; a forced webgpu also accepts a fallback (software) adapter such as SwiftShader.
import * as tf from '@tensorflow/tfjs-core';
import os from 'node:os';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { useSharedIdentityOnWasm } from './wasm-identity.js';
import './tfjs.js';
import { enableWasmThreads } from './wasm-threads.js';
import { prepareWebGpu } from './webgpu/select-webgpu.js';
import { SWIFTSHADER_INSTALL_HINT } from './webgpu/vulkan-icd.js';

export type BackendName = 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
export type BackendRequest = BackendName | 'auto';

export interface SelectBackendOptions {
  requested?: BackendRequest;
  /** wasm threads; > 1 (or SONIC_WASM_THREADS=N / =1 for "all cores") enables the worker_threads shim. */
  threads?: number;
  /** Defaults to process.env; tests pass their own. */
  env?: Record<string, string | undefined>;
  /** GPU ids the runner gave the stage (ctx.gpus): they select the WebGPU adapter (webgpu/adapter-choice.ts). */
  gpus?: readonly number[];
}

export interface BackendChoice {
  name: BackendName;
  reason: string;
  /** wasm worker threads actually running (1 = single-threaded); 0 for the other backends. */
  threads: number;
}

export class BackendUnavailableError extends Error {}

const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;
const REQUESTS: readonly BackendRequest[] = ['tensorflow', 'webgpu', 'wasm', 'cpu', 'auto'];

export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendChoice> {
  const env = options.env ?? process.env;
  const fromEnv = env.SONIC_BACKEND?.trim();
  if (fromEnv && !REQUESTS.includes(fromEnv as BackendRequest)) {
    throw new BackendUnavailableError(`SONIC_BACKEND='${fromEnv}' is not a backend; expected one of ${REQUESTS.join(', ')}`);
  }
  const requested: BackendRequest = (fromEnv as BackendRequest | undefined) || options.requested || 'auto';
  const source = fromEnv ? `SONIC_BACKEND=${fromEnv}` : options.requested && options.requested !== 'auto' ? `requested '${options.requested}'` : 'auto';
  const threads = wasmThreadRequest(options.threads, env);

  let nativeWhy = '';
  if (requested === 'tensorflow' || requested === 'auto') {
    const native = await tryNative();
    if (native.ok) {
      await activate('tensorflow');
      return { name: 'tensorflow', reason: `${source}: ${native.pkg} is installed`, threads: 0 };
    }
    nativeWhy = native.why;
    if (requested === 'tensorflow') {
      throw new BackendUnavailableError(
        `${source}: the TensorFlow backend needs @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu, and neither could be loaded (${native.why}). Install one, or use SONIC_BACKEND=wasm.`,
      );
    }
  }
  let webgpuWhy = '';
  if (requested === 'webgpu' || requested === 'auto') {
    const forced = requested === 'webgpu';
    const webgpu = await prepareWebGpu({ forced, gpus: options.gpus ?? [], name: env.SONIC_WEBGPU_ADAPTER });
    if (webgpu.ok) {
      try {
        await activate('webgpu');
        return { name: 'webgpu', reason: `${forced ? source : `auto: ${nativeWhy}`}; WebGPU on ${webgpu.why}`, threads: 0 };
      } catch (e) {
        webgpuWhy = `webgpu: ${(e as Error).message}`;
      }
    } else {
      webgpuWhy = `webgpu: ${webgpu.why}`;
    }
    if (forced) {
      throw new BackendUnavailableError(
        `${source}: the WebGPU backend cannot start (${webgpuWhy.slice('webgpu: '.length)}). On a machine without a GPU, ${SWIFTSHADER_INSTALL_HINT}.`,
      );
    }
  }
  if (requested === 'wasm' || requested === 'auto') {
    try {
      let running = 1;
      if (threads > 1) running = await enableWasmThreads(threads);
      useSharedIdentityOnWasm();
      await activate('wasm');
      const why = requested === 'auto' ? `auto: ${nativeWhy}; ${webgpuWhy}; WebAssembly (SIMD)` : `${source}: WebAssembly (SIMD)`;
      return { name: 'wasm', reason: running > 1 ? `${why}, ${running} threads via the worker_threads shim` : `${why}, 1 thread`, threads: running };
    } catch (e) {
      if (requested === 'wasm') throw new BackendUnavailableError(`${source}: the wasm backend failed to start: ${(e as Error).message}`);
    }
  }
  await activate('cpu');
  return { name: 'cpu', reason: requested === 'cpu' ? `${source}: pure-JS cpu backend` : 'auto: wasm failed to start; pure-JS cpu backend (slow)', threads: 0 };
}

function wasmThreadRequest(threads: number | undefined, env: Record<string, string | undefined>): number {
  if (threads !== undefined) return threads;
  const raw = env.SONIC_WASM_THREADS?.trim();
  if (!raw || raw === '0') return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new BackendUnavailableError(`SONIC_WASM_THREADS='${raw}' must be a positive integer (1 = as many threads as cores)`);
  return n === 1 ? Math.max(os.cpus().length, 1) : n;
}

/** Whether @tensorflow/tfjs-node(-gpu) loads and registers its backend (importing it registers the backend). */
export async function tryNative(): Promise<{ ok: true; pkg: string } | { ok: false; why: string }> {
  const whys: string[] = [];
  for (const pkg of NATIVE_PACKAGES) {
    try {
      await quietly(() => import(pkg));
      if (tf.findBackendFactory('tensorflow')) return { ok: true, pkg };
      whys.push(`${pkg} loaded but registered no 'tensorflow' backend`);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      whys.push(code === 'ERR_MODULE_NOT_FOUND' ? `${pkg} is not installed` : `${pkg}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return { ok: false, why: whys.join('; ') };
}

/** Runs fn with tfjs's duplicate-registration and platform warnings muted (native packages re-register cpu kernels). */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    const text = String(args[0] ?? '');
    if (/already registered|has already been set|Overwriting the platform/.test(text)) return;
    warn(...args);
  };
  try {
    return await fn();
  } finally {
    console.warn = warn;
  }
}

async function activate(name: BackendName): Promise<void> {
  const ok = await quietly(() => tf.setBackend(name));
  if (!ok) throw new BackendUnavailableError(`tfjs backend '${name}' failed to initialise`);
  await tf.ready();
  silenceCpuBanner();
}

/** The cpu backend prints an "install tfjs-node" banner on first use; we already chose deliberately. */
export function silenceCpuBanner(): void {
  const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu && 'firstUse' in cpu) cpu.firstUse = false;
}
