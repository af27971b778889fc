// The GPU adapters Dawn (npm `webgpu`, a prebuilt dawn.node) can see, with the limits that bound model size.
// dawn.node exposes no adapter enumeration; its documented way is the `adapter=<name>` option, whose error
// lists every adapter of the platform's backend (Vulkan on Linux, Metal on macOS, D3D12 on Windows) in the
// driver's enumeration order. Each listed adapter is then opened by name for its info and limits.
import { vulkanIcdManifests } from './vulkan-icd.js';

export interface DawnAdapter {
  /** Position in Dawn's adapter list: what a runner GPU id selects (see docs/reproduce-paper.md#hardware). */
  index: number;
  /** AdapterInfo.device, e.g. 'NVIDIA H200' or 'SwiftShader Device (Subzero)'; Dawn selects adapters by it. */
  name: string;
  backend: string;
  vendor: string;
  architecture: string;
  description: string;
  /** A software or otherwise "fallback" adapter (SwiftShader is one); used only when SONIC_BACKEND=webgpu. */
  isFallback: boolean;
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

export type DawnProbe = { ok: true; adapters: DawnAdapter[] } | { ok: false; why: string };

interface DawnGpu {
  requestAdapter(options?: { forceFallbackAdapter?: boolean }): Promise<DawnAdapterObject | null>;
}
interface DawnAdapterObject {
  info: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean };
  limits: { maxBufferSize: number; maxStorageBufferBindingSize: number };
}
export interface DawnModule {
  create(options: string[]): DawnGpu;
  globals: Record<string, unknown>;
}

let dawn: Promise<DawnModule> | undefined;

/** Loads dawn.node once; rejects with the loader's first line when the package or its binary is missing. */
export function loadDawn(): Promise<DawnModule> {
  dawn ??= import('webgpu' as string).then((m: { create: DawnModule['create']; globals: DawnModule['globals'] }) => ({ create: m.create, globals: m.globals }));
  return dawn;
}

const NO_SUCH_ADAPTER = 'sonicdiffusion-adapter-listing';
const LISTED = /^\s*\*\s*backend:\s*'([^']*)',\s*name:\s*'(.*)'\s*$/;

/** Every adapter Dawn lists, fallback ones included; `{ ok: false }` says why none could be probed. */
export async function probeDawnAdapters(env: Record<string, string | undefined> = process.env): Promise<DawnProbe> {
  if (process.platform === 'linux') {
    const icds = vulkanIcdManifests(env);
    if (icds.files.length === 0) return { ok: false, why: `no Vulkan driver: no ICD manifest in ${icds.source}` };
  }
  let mod: DawnModule;
  try {
    mod = await loadDawn();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, why: code === 'ERR_MODULE_NOT_FOUND' ? "the npm package 'webgpu' (Dawn) is not installed" : `dawn.node failed to load: ${firstLine(e)}` };
  }
  let listed: Array<{ backend: string; name: string }>;
  try {
    const adapter = await mod.create([`adapter=${NO_SUCH_ADAPTER}`]).requestAdapter();
    if (adapter !== null) return { ok: false, why: `Dawn returned an adapter for the impossible name '${NO_SUCH_ADAPTER}'` };
    listed = [];
  } catch (e) {
    listed = String((e as Error).message ?? e)
      .split('\n')
      .map((line) => LISTED.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ backend: m[1]!, name: m[2]! }));
  }
  if (listed.length === 0) return { ok: false, why: 'Dawn found no GPU adapter (the Vulkan/Metal/D3D12 driver reported no device)' };
  const adapters: DawnAdapter[] = [];
  for (const [index, { backend, name }] of listed.entries()) {
    const a = await mod.create([`adapter=${name}`]).requestAdapter();
    if (!a) continue;
    adapters.push({
      index,
      name,
      backend,
      vendor: a.info.vendor,
      architecture: a.info.architecture,
      description: a.info.description,
      isFallback: a.info.isFallbackAdapter === true,
      maxBufferSize: a.limits.maxBufferSize,
      maxStorageBufferBindingSize: a.limits.maxStorageBufferBindingSize,
    });
  }
  return { ok: true, adapters };
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!;
}
