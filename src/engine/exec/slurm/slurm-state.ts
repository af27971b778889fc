// Reading Slurm's answers: squeue / sacct / scontrol output parsers, and the mapping from a Slurm job
// state (plus the worker's result.json) to the engine's JobStatus.
import type { JobStatus } from '../executor.js';
import type { JobResult } from '../job-protocol.js';

export interface SlurmJobInfo {
  state: string; // Slurm's base state, upper case: PENDING, RUNNING, COMPLETED, TIMEOUT, …
  reason?: string; // squeue/scontrol Reason (why pending, or why it ended)
  exitCode?: number | null; // the batch script's exit code; null when killed by a signal
  signal?: number;
}

/** Parses `squeue -h -o '%i|%T|%r'` output into job id -> info. */
export function parseSqueue(stdout: string): Map<string, SlurmJobInfo> {
  const jobs = new Map<string, SlurmJobInfo>();
  for (const line of stdout.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const [id, state, reason] = trimmed.split('|');
    if (id === undefined || state === undefined) continue;
    jobs.set(id, { state: baseState(state), reason: cleanReason(reason) });
  }
  return jobs;
}

/**
 * Parses `sacct -j ID -n -P -o JobID,State,ExitCode`. The line for the job itself (not `ID.batch` or
 * `ID.extern`) carries the job's state, e.g. `12|CANCELLED by 0|0:15`.
 */
export function parseSacct(stdout: string, jobId: string): SlurmJobInfo | undefined {
  for (const line of stdout.split('\n')) {
    const [id, state, exit] = line.trim().split('|');
    if (id !== jobId || state === undefined || state === '') continue;
    return { state: baseState(state), ...parseExitCode(exit) };
  }
  return undefined;
}

/** Parses `scontrol show job -o ID` (one line of Key=Value pairs). */
export function parseScontrolJob(stdout: string): SlurmJobInfo | undefined {
  const fields = new Map<string, string>();
  for (const match of stdout.matchAll(/(?:^|\s)([A-Za-z/:]+)=(\S*)/g)) {
    if (match[1] !== undefined && !fields.has(match[1])) fields.set(match[1], match[2] ?? '');
  }
  const state = fields.get('JobState');
  if (state === undefined) return undefined;
  return { state: baseState(state), reason: cleanReason(fields.get('Reason')), ...parseExitCode(fields.get('ExitCode')) };
}

/** `1:0` -> exit 1; `0:15` -> killed by signal 15 (exit code null). */
export function parseExitCode(text: string | undefined): Pick<SlurmJobInfo, 'exitCode' | 'signal'> {
  const m = /^(\d+):(\d+)$/.exec(text?.trim() ?? '');
  if (m === null) return {};
  const code = Number(m[1]);
  const signal = Number(m[2]);
  return signal > 0 ? { exitCode: code === 0 ? null : code, signal } : { exitCode: code };
}

function baseState(state: string): string {
  // `CANCELLED by 0`, `CANCELLED+`, `RUNNING` -> the bare state word.
  return (state.trim().split(/[\s+]/)[0] ?? '').toUpperCase();
}

function cleanReason(reason: string | undefined): string | undefined {
  const r = reason?.trim();
  return r === undefined || r === '' || r === 'None' || r === '(null)' ? undefined : r;
}

const QUEUED = new Set(['PENDING', 'REQUEUED', 'REQUEUE_FED', 'REQUEUE_HOLD', 'RESV_DEL_HOLD', 'SPECIAL_EXIT']);
const ACTIVE = new Set(['RUNNING', 'CONFIGURING', 'COMPLETING', 'SUSPENDED', 'STOPPED', 'SIGNALING', 'STAGE_OUT', 'RESIZING']);

/** States in which Slurm still holds the job (it may still write files). */
export function isActiveState(state: string): boolean {
  return QUEUED.has(state) || ACTIVE.has(state);
}

/** The status of a job Slurm still holds. */
export function activeStatus(info: SlurmJobInfo): JobStatus {
  const message = info.reason === undefined ? `slurm: ${info.state}` : `slurm: ${info.state} (${info.reason})`;
  return { state: QUEUED.has(info.state) ? 'queued' : 'running', message };
}

/**
 * The final status of a job Slurm no longer runs, from its Slurm state (when known) and the worker's
 * result.json (when written). Slurm's verdict wins for kills the worker cannot report (time limit, memory,
 * cancel, node failure); otherwise the worker's own result decides.
 */
export function finalStatus(info: SlurmJobInfo | undefined, result: JobResult | undefined): JobStatus {
  const slurm = info === undefined ? 'slurm: state unknown (job no longer in squeue, no accounting)' : describe(info);
  switch (info?.state) {
    case 'TIMEOUT':
    case 'DEADLINE':
      return { state: 'timeout', exitCode: info.exitCode ?? null, message: `${slurm}: stopped at its time limit` };
    case 'OUT_OF_MEMORY':
      return { state: 'oom', exitCode: info.exitCode ?? null, message: `${slurm}: killed for exceeding its memory` };
    case 'CANCELLED':
      return { state: 'cancelled', exitCode: info.exitCode ?? null, message: slurm };
    case 'PREEMPTED':
      return { state: 'interrupted', exitCode: info.exitCode ?? null, message: `${slurm}: preempted` };
    case 'NODE_FAIL':
    case 'BOOT_FAIL':
      return { state: 'failed', exitCode: info.exitCode ?? null, message: `${slurm}: the node failed` };
    default:
      break;
  }
  if (result !== undefined) {
    const state = result.status === 'succeeded' ? 'succeeded' : result.status === 'interrupted' ? 'interrupted' : 'failed';
    const message = result.error === undefined ? slurm : `${result.error} [${slurm}]`;
    return { state, exitCode: result.exitCode, message };
  }
  const exit = info?.exitCode ?? null;
  return { state: 'failed', exitCode: exit, message: `${slurm}: the job ended without writing result.json (see its log)` };
}

function describe(info: SlurmJobInfo): string {
  const parts = [`slurm: ${info.state}`];
  if (info.exitCode !== undefined && info.exitCode !== null) parts.push(`exit ${info.exitCode}`);
  if (info.signal !== undefined) parts.push(`signal ${info.signal}`);
  if (info.reason !== undefined) parts.push(`reason ${info.reason}`);
  return parts.length === 1 ? parts[0]! : `${parts[0]} (${parts.slice(1).join(', ')})`;
}
