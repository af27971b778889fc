// Which Dawn adapter a stage may use. Pure, so the rules are testable without a GPU:
//  - SONIC_WEBGPU_ADAPTER=<name substring> picks by name (Dawn's own selection key);
//  - else runner GPU ids (--gpus / resources.gpu, ctx.gpus) index Dawn's adapter list (the Vulkan/Metal/D3D12
//    enumeration order that `sonic doctor` prints); tfjs drives one device, so the first id is used;
//  - else the first non-fallback adapter.
// A fallback (software) adapter such as SwiftShader is accepted only when the webgpu backend is forced.
import type { DawnAdapter } from './dawn-adapters.js';

export interface AdapterRequest {
  /** SONIC_BACKEND=webgpu (or requested 'webgpu'): a fallback adapter is acceptable. */
  forced: boolean;
  /** GPU ids the runner gave the stage. */
  gpus?: readonly number[];
  /** SONIC_WEBGPU_ADAPTER: a substring of the adapter name. */
  name?: string;
}

export type AdapterChoice = { ok: true; adapter: DawnAdapter; why: string } | { ok: false; why: string };

export function describeAdapter(a: DawnAdapter): string {
  return `adapter ${a.index} '${a.name}' (${a.backend}${a.isFallback ? ', fallback/software' : ''})`;
}

export function chooseAdapter(adapters: readonly DawnAdapter[], request: AdapterRequest): AdapterChoice {
  const listing = adapters.map(describeAdapter).join('; ') || 'none';
  const accept = (adapter: DawnAdapter, why: string): AdapterChoice => {
    if (adapter.isFallback && !request.forced) {
      return { ok: false, why: `${describeAdapter(adapter)} is a fallback (software) adapter, used only with SONIC_BACKEND=webgpu` };
    }
    return { ok: true, adapter, why };
  };
  const name = request.name?.trim();
  if (name) {
    const adapter = adapters.find((a) => a.name.includes(name));
    if (!adapter) return { ok: false, why: `SONIC_WEBGPU_ADAPTER='${name}' matches no adapter (Dawn lists: ${listing})` };
    return accept(adapter, `SONIC_WEBGPU_ADAPTER='${name}' → ${describeAdapter(adapter)}`);
  }
  const gpus = request.gpus ?? [];
  if (gpus.length > 0) {
    const id = gpus[0]!;
    const adapter = adapters.find((a) => a.index === id);
    if (!adapter) return { ok: false, why: `the runner gave GPU id ${id}, but Dawn lists no adapter ${id} (Dawn lists: ${listing})` };
    const twin = adapters.find((a) => a.index < id && a.name === adapter.name);
    if (twin) {
      return {
        ok: false,
        why:
          `the runner gave GPU id ${id}, '${adapter.name}', but adapter ${twin.index} has the same name and dawn.node selects adapters by name only; ` +
          'make only the stage\'s GPU visible to it (a container or Slurm job with device constraints) or run one stage per GPU model',
      };
    }
    const unused = gpus.length > 1 ? ` (GPU ids ${gpus.join(',')} given; tfjs drives one device, so ${gpus.slice(1).join(',')} stay idle)` : '';
    return accept(adapter, `runner GPU id ${id} → ${describeAdapter(adapter)}${unused}`);
  }
  const hardware = adapters.find((a) => !a.isFallback);
  if (hardware) return accept(hardware, describeAdapter(hardware));
  const fallback = adapters[0];
  if (!fallback) return { ok: false, why: 'Dawn lists no adapter' };
  return accept(fallback, `${describeAdapter(fallback)}, accepted because the webgpu backend was forced`);
}
