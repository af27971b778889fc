// The store's rows as SQLite returns them, and their mapping to the records of store-api.ts. Paths inside
// the workspace are stored relative to it (so a workspace can move) and handed out absolute.
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ArtifactRecord, RunRecord, RunStatus, StageRunRecord } from './store-api.js';

export interface RunRow {
  id: number;
  pipeline_name: string;
  pipeline_file: string;
  argv_json: string;
  targets_json: string;
  status: RunStatus;
  started_at: string;
  finished_at: string | null;
  host: string;
  pid: number;
}

export interface StageRunRow {
  id: number;
  run_id: number;
  stage_id: string;
  base_id: string;
  kind: 'uses' | 'run';
  uses: string | null;
  fingerprint: string;
  fingerprint_json: string;
  status: StageRunRecord['status'];
  reason: string;
  reused_from: number | null;
  attempt: number;
  executor: string | null;
  job_id: string | null;
  stage_run_dir: string | null;
  log_path: string | null;
  exit_code: number | null;
  error: string | null;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
}

export interface ArtifactRow {
  id: number;
  stage_run_id: number;
  name: string;
  hash: string;
  size: number;
  type: 'file' | 'dir';
  object_path: string;
}

export interface MetricRow {
  id: number;
  stage_run_id: number;
  name: string;
  value: number | null;
  step: number | null;
  tags_json: string;
}

/** StageRunRecord field -> column, for inserts and patches. */
export const STAGE_RUN_COLUMNS: Record<keyof Omit<StageRunRecord, 'id'>, keyof StageRunRow> = {
  runId: 'run_id',
  stageId: 'stage_id',
  baseId: 'base_id',
  kind: 'kind',
  uses: 'uses',
  fingerprint: 'fingerprint',
  fingerprintJson: 'fingerprint_json',
  status: 'status',
  reason: 'reason',
  reusedFrom: 'reused_from',
  attempt: 'attempt',
  executor: 'executor',
  jobId: 'job_id',
  stageRunDir: 'stage_run_dir',
  logPath: 'log_path',
  exitCode: 'exit_code',
  error: 'error',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  durationMs: 'duration_ms',
};

/** The StageRunRecord fields that hold paths (stored relative to the workspace when inside it). */
export const STAGE_RUN_PATH_FIELDS: ReadonlySet<string> = new Set(['stageRunDir', 'logPath']);

/** Converts paths between their stored form (relative when inside the workspace) and absolute. */
export class WorkspacePaths {
  constructor(readonly workspace: string) {}

  toStored(p: string): string;
  toStored(p: string | null): string | null;
  toStored(p: string | null): string | null {
    if (p === null) return null;
    const abs = resolve(p);
    const rel = relative(this.workspace, abs);
    if (rel === '' || rel.startsWith('..' + sep) || rel === '..' || isAbsolute(rel)) return abs;
    return rel;
  }

  toAbsolute(p: string): string;
  toAbsolute(p: string | null): string | null;
  toAbsolute(p: string | null): string | null {
    if (p === null) return null;
    return isAbsolute(p) ? p : join(this.workspace, p);
  }
}

export function toRun(r: RunRow): RunRecord {
  return {
    id: r.id,
    pipelineName: r.pipeline_name,
    pipelineFile: r.pipeline_file,
    argv: JSON.parse(r.argv_json) as string[],
    targets: JSON.parse(r.targets_json) as string[],
    status: r.status,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    host: r.host,
    pid: r.pid,
  };
}

export function toStageRun(paths: WorkspacePaths, r: StageRunRow): StageRunRecord {
  return {
    id: r.id,
    runId: r.run_id,
    stageId: r.stage_id,
    baseId: r.base_id,
    kind: r.kind,
    uses: r.uses,
    fingerprint: r.fingerprint,
    fingerprintJson: r.fingerprint_json,
    status: r.status,
    reason: r.reason,
    reusedFrom: r.reused_from,
    attempt: r.attempt,
    executor: r.executor,
    jobId: r.job_id,
    stageRunDir: paths.toAbsolute(r.stage_run_dir),
    logPath: paths.toAbsolute(r.log_path),
    exitCode: r.exit_code,
    error: r.error,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    durationMs: r.duration_ms,
  };
}

export function toArtifact(paths: WorkspacePaths, r: ArtifactRow): ArtifactRecord {
  return {
    id: r.id,
    stageRunId: r.stage_run_id,
    name: r.name,
    hash: r.hash,
    size: r.size,
    type: r.type,
    objectPath: paths.toAbsolute(r.object_path),
  };
}
