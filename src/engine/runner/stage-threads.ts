// How many compute threads a starting stage gets, handed to it as SONIC_WASM_THREADS (which the tfjs wasm
// backend reads; see src/compute/backend.ts). Cores the running stages leave idle are shared out:
// a lone stage on a 16-core machine gets 16 threads, four stages on it 4 each. A stage that declares
// `resources: {cpu: N}` gets N (what it reserved), never more. On a cluster the job's own CPUs count:
// its cpus-per-task when declared. A SONIC_WASM_THREADS the user set (for the runner, or in the stage's
// `env:`) always wins.
import type { ResourceRequest } from '../config/pipeline-model.js';

export const WASM_THREADS_ENV = 'SONIC_WASM_THREADS';
/** More threads than this gain little for one stage's kernels; the rest of the machine stays free. */
export const MAX_AUTO_THREADS = 16;

export interface ThreadShareInput {
  cores: number; // the machine's (or the --cpus budget's) cores
  running: number; // local stages running now, this one included
  resources: ResourceRequest;
  onCluster: boolean; // the executor's scheduler (Slurm) allocates the stage's CPUs
  userSet: boolean; // SONIC_WASM_THREADS set by the user
}

export interface ThreadShare {
  count: number;
  why: string;
}

/** The threads for a starting stage; undefined when the runner sets none (the stage's default: one). */
export function stageThreads(i: ThreadShareInput): ThreadShare | undefined {
  if (i.userSet) return undefined;
  const declared = i.resources.cpuDeclared ? Math.max(1, Math.floor(i.resources.cpu)) : undefined;
  let share: ThreadShare;
  if (i.onCluster) {
    if (declared === undefined) return undefined;
    share = { count: declared, why: `cpus-per-task ${declared}` };
  } else if (declared !== undefined) {
    share = { count: Math.min(declared, Math.max(1, i.cores)), why: `resources.cpu ${declared}` };
  } else {
    const running = Math.max(1, i.running);
    const count = Math.min(MAX_AUTO_THREADS, Math.max(1, Math.floor(i.cores / running)));
    share = { count, why: `${i.cores} core${i.cores === 1 ? '' : 's'}, ${running} stage${running === 1 ? '' : 's'} running` };
  }
  return share.count > 1 ? share : undefined;
}

/** The environment entry for a share ("1" would mean "all cores" to the backend, so one thread sets nothing). */
export function threadEnv(share: ThreadShare | undefined): Record<string, string> {
  return share === undefined || share.count < 2 ? {} : { [WASM_THREADS_ENV]: String(share.count) };
}
