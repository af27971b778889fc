// Runs stage jobs as Slurm batch jobs. The compute nodes must see the workspace at the same path (a shared
// filesystem) and have Node: each job execs the same stage worker as the local executor (for `uses` and
// `run` stages alike), which reads <stageRunDir>/job.json and writes events.jsonl and result.json there.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import type { Executor, JobHandle, JobSpec, JobStatus } from '../executor.js';
import { WORKER_PATH } from '../local-executor.js';
import { readJobResult } from '../job-files.js';
import { renderJobScript, type JobScriptOptions } from './job-script.js';
import { DEFAULT_SLURM_COMMANDS, parseSbatchParsable, runCommand, type SlurmCommandNames } from './slurm-cli.js';
import { QueueSnapshot, type Snapshot } from './queue-snapshot.js';
import { activeStatus, finalStatus, isActiveState, parseSacct, parseScontrolJob, type SlurmJobInfo } from './slurm-state.js';

export interface SlurmExecutorSettings {
  partition?: string;
  account?: string;
  timeLimit?: string; // sbatch --time, e.g. `30` (minutes) or `2:00:00`
  extraArgs?: string[]; // more sbatch flags, e.g. ['--qos=high', '--constraint=a100']
  /** Minimum time between two squeue calls; all polls within it share one call. Default 2000. */
  pollIntervalMs?: number;
  /**
   * How long a job that Slurm reports as ended may lack result.json before it counts as failed. A shared
   * filesystem can show a file written on a compute node to the submit host seconds later. Default 15000.
   */
  resultGraceMs?: number;
  /**
   * How long squeue may keep failing (e.g. while slurmctld restarts) before poll gives up with an error.
   * Until then, running jobs are reported with their last known state. Default 300000 (5 min).
   */
  squeueOutageMs?: number;
  nodePath?: string; // node on the compute nodes; default: this process's node
  nodeArgs?: string[]; // default: this process's node flags (as the local executor)
  workerPath?: string; // default: the compiled stage-worker.js next to the executors
  commands?: Partial<SlurmCommandNames>;
}

export const SLURM_EXECUTOR_NAME = 'slurm';

interface Tracked {
  submittedAt?: number; // when sbatch returned, if this instance submitted the job (not for re-attached handles)
  endInfo?: SlurmJobInfo; // Slurm's final word on the job
  endSeenAt?: number; // first time Slurm reported the job as ended while result.json was missing
  lastActive?: JobStatus; // the latest queued/running status, reported while squeue is unreachable
  final?: JobStatus;
}

export class SlurmExecutor implements Executor {
  readonly name = SLURM_EXECUTOR_NAME;
  private readonly commands: SlurmCommandNames;
  private readonly scriptOptions: JobScriptOptions;
  private readonly resultGraceMs: number;
  private readonly squeueOutageMs: number;
  private squeueFailingSince: number | undefined;
  private readonly snapshot: QueueSnapshot;
  private readonly tracked = new Map<string, Tracked>();
  private sacctWorks: boolean | undefined;

  constructor(settings: SlurmExecutorSettings = {}) {
    this.commands = { ...DEFAULT_SLURM_COMMANDS, ...settings.commands };
    this.scriptOptions = {
      nodePath: settings.nodePath ?? process.execPath,
      nodeArgs: settings.nodeArgs ?? process.execArgv,
      workerPath: settings.workerPath ?? WORKER_PATH,
      partition: settings.partition,
      account: settings.account,
      timeLimit: settings.timeLimit,
      extraArgs: settings.extraArgs ?? [],
    };
    this.resultGraceMs = settings.resultGraceMs ?? 15_000;
    this.squeueOutageMs = settings.squeueOutageMs ?? 300_000;
    const user = userInfo().username;
    this.snapshot = new QueueSnapshot(settings.pollIntervalMs ?? 2000, () =>
      runCommand(this.commands.squeue, ['-h', '-t', 'all', '-u', user, '-o', '%i|%T|%r']),
    );
  }

  /** Writes <stageRunDir>/job.sbatch and submits it; the runner must have written job.json already. */
  async submit(job: JobSpec): Promise<JobHandle> {
    if (!existsSync(join(job.stageRunDir, 'job.json'))) {
      throw new Error(`cannot submit stage ${job.stageId} to Slurm: ${join(job.stageRunDir, 'job.json')} does not exist`);
    }
    const scriptPath = join(job.stageRunDir, 'job.sbatch');
    writeFileSync(scriptPath, renderJobScript(job, this.scriptOptions), { mode: 0o755 });
    mkdirSync(dirname(job.logPath), { recursive: true });
    const r = await runCommand(this.commands.sbatch, ['--parsable', scriptPath], job.stageRunDir);
    // Taken after sbatch returned: only a squeue call started later is sure to list the job.
    const submittedAt = Date.now();
    const jobId = r.ok ? parseSbatchParsable(r.stdout) : undefined;
    if (jobId === undefined) {
      const why = (r.stderr || r.stdout).trim() || `exit code ${r.exitCode ?? 'none'}`;
      throw new Error(`sbatch refused stage ${job.stageId} (script ${scriptPath}): ${why}`);
    }
    this.tracked.set(jobId, { submittedAt });
    return { executor: this.name, jobId, stageRunDir: job.stageRunDir };
  }

  async poll(handle: JobHandle): Promise<JobStatus> {
    const tracked = this.trackedFor(handle.jobId);
    if (tracked.final !== undefined) return tracked.final;
    let snap: Snapshot;
    try {
      snap = await this.snapshot.get();
      this.squeueFailingSince = undefined;
    } catch (err) {
      const now = Date.now();
      this.squeueFailingSince ??= now;
      if (now - this.squeueFailingSince >= this.squeueOutageMs) throw err;
      const last = tracked.lastActive ?? { state: 'queued' };
      return { state: last.state, message: `${(err as Error).message} (retrying; last known: ${last.message ?? last.state})` };
    }
    const listed = snap.jobs.get(handle.jobId);
    if (listed !== undefined && isActiveState(listed.state)) return (tracked.lastActive = activeStatus(listed));
    if (listed === undefined && tracked.submittedAt !== undefined && snap.takenAt < tracked.submittedAt) {
      return { state: 'queued', message: 'slurm: submitted' };
    }

    // squeue gives the final state but no exit code; sacct or scontrol give both.
    const info = tracked.endInfo ?? (await this.endedJobInfo(handle.jobId)) ?? listed;
    // scontrol can know a job the snapshot missed (e.g. one submitted by another process meanwhile).
    if (info !== undefined && isActiveState(info.state)) return activeStatus(info);
    tracked.endInfo = info;
    const result = readJobResult(handle.stageRunDir);
    const status = finalStatus(info, result);
    const workerVerdictMissing = result === undefined && (info === undefined || info.state === 'COMPLETED' || info.state === 'FAILED');
    if (workerVerdictMissing) {
      tracked.endSeenAt ??= Date.now();
      if (Date.now() - tracked.endSeenAt < this.resultGraceMs) {
        return { state: 'running', message: `${info === undefined ? 'slurm: ended' : `slurm: ${info.state}`}, waiting for result.json` };
      }
    }
    tracked.final = status;
    return status;
  }

  async cancel(handle: JobHandle): Promise<void> {
    const r = await runCommand(this.commands.scancel, [handle.jobId]);
    if (r.ok) return;
    // Cancelling a job that already ended is not an error for the runner.
    if (/already completing or completed|invalid job id/i.test(r.stderr)) return;
    throw new Error(`scancel ${handle.jobId} failed: ${r.stderr || `exit code ${r.exitCode ?? 'none'}`}`);
  }

  /** Slurm allocates cpus, memory and GPUs for every job: none of them comes from the runner's budget. */
  allocatesResources(): boolean {
    return true;
  }

  reattach(jobId: string, stageRunDir: string, executorName?: string): JobHandle | undefined {
    if (executorName !== undefined && executorName !== this.name) return undefined;
    if (!/^\d+$/.test(jobId)) return undefined;
    this.trackedFor(jobId);
    return { executor: this.name, jobId, stageRunDir };
  }

  private trackedFor(jobId: string): Tracked {
    let t = this.tracked.get(jobId);
    if (t === undefined) {
      t = {};
      this.tracked.set(jobId, t);
    }
    return t;
  }

  /** The final Slurm state of a job squeue no longer lists: sacct when accounting works, else scontrol. */
  private async endedJobInfo(jobId: string): Promise<SlurmJobInfo | undefined> {
    if (this.sacctWorks !== false) {
      const r = await runCommand(this.commands.sacct, ['-j', jobId, '-n', '-P', '-o', 'JobID,State,ExitCode']);
      if (r.ok) {
        this.sacctWorks = true;
        const info = parseSacct(r.stdout, jobId);
        if (info !== undefined) return info;
      } else if (this.sacctWorks === undefined) {
        this.sacctWorks = false; // e.g. "Slurm accounting storage is disabled"
      }
    }
    const r = await runCommand(this.commands.scontrol, ['show', 'job', '-o', jobId]);
    return r.ok ? parseScontrolJob(r.stdout) : undefined;
  }
}
