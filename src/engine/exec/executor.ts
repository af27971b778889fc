// The executor interface (after Snakemake's executor plugins): submit, poll, cancel. The runner owns
// scheduling, resource accounting and SQLite; an executor only starts and watches jobs.
import type { ResourceRequest } from '../config/pipeline-model.js';

export interface JobSpec {
  stageId: string;
  stageRunDir: string; // holds job.json, out/, work/, events.jsonl, result.json, log.txt
  kind: 'uses' | 'run';
  argv?: string[]; // for `run` stages executed directly
  env: Record<string, string>;
  resources: ResourceRequest;
  gpus: number[];
  logPath: string;
  /** Stop the job and fail it after this long (the stage's `timeout:`); absent = no limit. */
  timeoutMs?: number;
  /** Cap on the log file; output past it is discarded. */
  logLimitBytes?: number;
}

export interface JobHandle {
  executor: string;
  jobId: string; // pid for local, Slurm job id for slurm; recorded in SQLite for re-attach
  stageRunDir: string;
}

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'timeout' | 'oom' | 'interrupted';

export interface JobStatus {
  state: JobState;
  exitCode?: number | null;
  message?: string; // e.g. Slurm's state and reason
}

export interface Executor {
  readonly name: string;
  submit(job: JobSpec): Promise<JobHandle>;
  poll(handle: JobHandle): Promise<JobStatus>;
  cancel(handle: JobHandle): Promise<void>;
  /**
   * Rebuild a handle for a job recorded by an earlier (killed) runner, if the executor can re-attach.
   * `executorName` is the name recorded with the job: an executor that routes to others picks by it, and an
   * executor with another name returns undefined.
   */
  reattach?(jobId: string, stageRunDir: string, executorName?: string): JobHandle | undefined;
  /** Optional: resolve when the job ends (saves polling); executors that can only poll omit it. */
  wait?(handle: JobHandle): Promise<JobStatus>;
  close?(): Promise<void>;
  /**
   * Optional: true when this executor's own scheduler (e.g. Slurm) allocates the stage's cpus, memory and
   * GPUs, so the runner must not count the stage against its local budget nor hand it local GPU ids.
   * Absent or false: the runner's local resource pool applies (the local executor).
   */
  allocatesResources?(stageId: string): boolean;
}
