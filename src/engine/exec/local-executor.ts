// Runs jobs as local child processes. `run` stages execute their argv directly (never a shell); `uses`
// stages run in the stage worker (same node binary and flags). Each child gets its own process group so
// cancel reaches grandchildren; stdout and stderr go to the stage's log file, up to its size cap. A job with
// a timeout is stopped like a cancel when it runs out, and fails.
import { fileURLToPath } from 'node:url';
import type { Executor, JobHandle, JobSpec, JobStatus } from './executor.js';
import { jobPaths, readJobResult } from './job-files.js';
import { CappedLog, DEFAULT_LOG_LIMIT_BYTES } from './capped-log.js';
import { formatDurationMs } from '../config/duration.js';

export const WORKER_PATH = fileURLToPath(new URL('./stage-worker.js', import.meta.url));

/** Node flags the worker inherits (e.g. --enable-source-maps, loaders), minus the test runner's and profilers'. */
const workerExecArgv = (): string[] => process.execArgv.filter((a) => !/^--(test|inspect|cpu-prof|heap-prof|prof|watch)/.test(a));

interface LocalJob {
  pid: number;
  status: JobStatus;
  done: Promise<JobStatus>;
  cancelled: boolean;
  timedOut?: string; // the message when the job ran past its timeout
}

export interface LocalExecutorOptions {
  /** Time between SIGTERM and SIGKILL on cancel. */
  killGraceMs?: number;
}

export class LocalExecutor implements Executor {
  readonly name = 'local';
  private readonly jobs = new Map<string, LocalJob>();
  private readonly killGraceMs: number;

  constructor(options: LocalExecutorOptions = {}) {
    this.killGraceMs = options.killGraceMs ?? 10_000;
  }

  async submit(job: JobSpec): Promise<JobHandle> {
    // imported on first use: loading execa costs ~100 ms, and a fully cached run starts no process
    const { execa } = await import('execa');
    const log = new CappedLog(job.logPath, job.logLimitBytes ?? DEFAULT_LOG_LIMIT_BYTES);
    const command: string[] =
      job.kind === 'uses' ? [process.execPath, ...workerExecArgv(), WORKER_PATH, jobPaths(job.stageRunDir).job] : (job.argv ?? []);
    const file = command[0];
    const args = command.slice(1);
    if (file === undefined) {
      log.close();
      throw new Error(`stage ${job.stageId}: empty command`);
    }
    const child = execa(file, args, {
      env: job.env,
      extendEnv: true,
      stdin: 'ignore',
      stdout: 'pipe',
      stderr: 'pipe',
      buffer: false,
      detached: true,
      cleanup: false,
      reject: false,
      cwd: job.stageRunDir,
    });
    const entry: LocalJob = {
      pid: child.pid ?? -1,
      status: { state: 'running' },
      cancelled: false,
      done: undefined as unknown as Promise<JobStatus>,
    };
    child.stdout?.on('data', (b: Buffer) => log.write(b));
    child.stderr?.on('data', (b: Buffer) => log.write(b));
    const timer =
      job.timeoutMs !== undefined
        ? setTimeout(() => {
            entry.timedOut = `timed out after ${formatDurationMs(job.timeoutMs!)} (timeout: ${formatDurationMs(job.timeoutMs!)}); stopped`;
            void this.stop(entry);
          }, job.timeoutMs)
        : undefined;
    entry.done = child.then((result) => {
      const r = result as { exitCode?: number; signal?: string; failed?: boolean; shortMessage?: string; cause?: { code?: string } };
      if (timer) clearTimeout(timer);
      log.close();
      let status: JobStatus;
      if (entry.timedOut !== undefined) {
        status = { state: 'timeout', exitCode: r.exitCode ?? null, message: entry.timedOut };
      } else if (job.kind === 'uses') {
        const result = readJobResult(job.stageRunDir);
        if (entry.cancelled) status = { state: 'interrupted', exitCode: r.exitCode ?? null, message: 'interrupted' };
        else if (result) {
          status = { state: result.status, exitCode: result.exitCode, ...(result.error ? { message: result.error } : {}) };
        } else {
          status = { state: 'failed', exitCode: r.exitCode ?? null, message: `stage worker ended (${describeExit(r)}) without writing result.json` };
        }
      } else if (entry.cancelled) status = { state: 'interrupted', exitCode: r.exitCode ?? null, message: 'interrupted' };
      else if (r.exitCode === 0) status = { state: 'succeeded', exitCode: 0 };
      else {
        const notStarted = r.failed && r.exitCode === undefined && !r.signal;
        const why = r.cause?.code === 'ENOENT' ? 'not found' : r.cause?.code === 'EACCES' ? 'not executable' : (r.shortMessage ?? '').split('\n')[0];
        status = {
          state: 'failed',
          exitCode: r.exitCode ?? null,
          message: notStarted ? `could not start ${file}: ${why}` : `command ${describeExit(r)}`,
        };
      }
      entry.status = status;
      return status;
    });
    const jobId = entry.pid > 0 ? String(entry.pid) : `spawn-failed-${job.stageId}-${Date.now()}`;
    this.jobs.set(jobId, entry);
    return { executor: this.name, jobId, stageRunDir: job.stageRunDir };
  }

  async poll(handle: JobHandle): Promise<JobStatus> {
    return this.jobs.get(handle.jobId)?.status ?? { state: 'failed', message: `unknown job ${handle.jobId}` };
  }

  async wait(handle: JobHandle): Promise<JobStatus> {
    const job = this.jobs.get(handle.jobId);
    return job ? job.done : { state: 'failed', message: `unknown job ${handle.jobId}` };
  }

  async cancel(handle: JobHandle): Promise<void> {
    const job = this.jobs.get(handle.jobId);
    if (!job || job.status.state !== 'running' || job.pid <= 0) return;
    job.cancelled = true;
    await this.stop(job);
  }

  /** SIGTERM to the job's process group, SIGKILL after the grace period. */
  private async stop(job: LocalJob): Promise<void> {
    if (job.pid <= 0) return;
    signalGroup(job.pid, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(job.pid, 'SIGKILL'), this.killGraceMs);
    await job.done;
    clearTimeout(timer);
    signalGroup(job.pid, 'SIGKILL'); // grandchildren that ignored SIGTERM
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

function describeExit(r: { exitCode?: number; signal?: string }): string {
  if (r.signal) return `killed by ${r.signal}`;
  if (r.exitCode !== undefined) return `exited with code ${r.exitCode}`;
  return 'could not start';
}
