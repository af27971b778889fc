// What a caller of runPipeline may set, and the error for a user mistake found before anything ran.
import type { StageCatalog } from '../stage/stage-definition.js';
import type { Executor } from '../exec/executor.js';
import type { RunEventListener } from '../events/run-events.js';
import type { ProgressMode } from '../events/terminal-progress.js';

export interface RunPipelineOptions {
  workspace: string; // the .sonic directory (created when missing)
  targets?: string[]; // expanded or base ids; empty = every stage
  jobs?: number; // max stages running at once (locally: default = cpus; on a cluster executor: default unlimited)
  cpus?: number; // cpu budget; default = os.availableParallelism()
  memoryMB?: number; // memory budget; default = total memory
  gpus?: number[]; // GPU device ids; default = detected with nvidia-smi (none when absent)
  force?: string[]; // stages to rerun regardless of the cache (expanded or base ids)
  dryRun?: boolean; // plan only: no lock, nothing executed or recorded
  failFast?: boolean; // on the first failure stop scheduling and cancel running stages
  progress?: ProgressMode; // default 'none'
  progressStream?: { write(s: string): unknown };
  catalog?: StageCatalog; // built-in stage definitions (versions enter the fingerprint)
  stageModules?: string[]; // module paths/URLs the stage worker imports for `uses` stages
  signal?: AbortSignal; // abort = Ctrl-C: running stages are interrupted, the run ends 'interrupted'
  waitForLock?: boolean; // wait for another runner's workspace lock instead of failing
  argv?: string[]; // recorded with the run
  executor?: Executor; // default: LocalExecutor; an executor that can reattach collects jobs a killed runner left
  /**
   * Executors this run does not submit to that may own jobs a killed runner left (the CLI passes the
   * cluster executors the workspace knows). A leftover job recorded under one of their names that the run's
   * own executor cannot re-attach to is cancelled through it, so it does not keep running unseen.
   */
  otherExecutors?: Executor[];
  killGraceMs?: number; // SIGTERM -> SIGKILL grace on cancel (default 10 s)
  retryBaseDelayMs?: number; // first retry delay, doubled each attempt (default 1000)
  onEvent?: RunEventListener; // extra event subscriber
  notice?: (message: string) => void; // non-fatal notices (stale lock taken over, recovered runs)
  checkResources?: boolean; // dry run only: false skips the budget check (default true)
  logLimitBytes?: number; // cap on each stage's log file (default 64 MiB); output past it is discarded
}

/** A user mistake found before anything ran (unknown target, cycle, missing input, impossible resources). */
export class RunUsageError extends Error {
  override readonly name = 'RunUsageError';
}

export function defaultNotice(message: string): void {
  process.stderr.write(`${message}\n`);
}
