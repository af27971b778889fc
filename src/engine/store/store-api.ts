// What the runner and the query commands need from the run store. Implemented by store/run-store.ts over
// better-sqlite3; the runner is the only writer, and is typed against this interface only.
import type { Params } from '../config/pipeline-model.js';

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'interrupted';
export type StageRunStatus =
  | 'pending'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cached' // not executed: outputs reused from `reusedFrom`
  | 'skipped' // not executed because an upstream stage failed
  | 'interrupted';

export interface RunRecord {
  id: number;
  pipelineName: string;
  pipelineFile: string;
  argv: string[];
  targets: string[];
  status: RunStatus;
  startedAt: string; // ISO
  finishedAt: string | null;
  host: string;
  pid: number;
}

export interface StageRunRecord {
  id: number;
  runId: number;
  stageId: string;
  baseId: string;
  kind: 'uses' | 'run';
  uses: string | null;
  fingerprint: string;
  fingerprintJson: string; // the documented struct, canonical JSON
  status: StageRunStatus;
  reason: string; // why it ran (or why it was cached / skipped)
  reusedFrom: number | null; // stage_run id whose outputs a cached run reuses
  attempt: number;
  executor: string | null;
  jobId: string | null;
  stageRunDir: string | null;
  logPath: string | null;
  exitCode: number | null;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

export interface ArtifactRecord {
  id: number;
  stageRunId: number;
  name: string;
  hash: string; // sha256 of the file, or of the directory's canonical tree manifest
  size: number; // bytes (sum over files for a directory)
  type: 'file' | 'dir';
  objectPath: string; // absolute path in the content-addressed object store
}

export interface MetricRecord {
  id: number;
  stageRunId: number;
  stageId: string;
  runId: number;
  name: string;
  value: number;
  step: number | null;
  tags: Record<string, string>;
}

export interface NewArtifact {
  name: string;
  hash: string;
  size: number;
  type: 'file' | 'dir';
  objectPath: string;
}

export interface NewMetric {
  name: string;
  value: number;
  step?: number | null;
  tags?: Record<string, string>;
}

export interface MetricFilter {
  stage?: string; // exact expanded id or base id, or a glob with *
  name?: string; // exact or glob with *
  tags?: Record<string, string>; // every tag must match
  runId?: number; // default: the latest successful stage run of each stage (cached runs resolve to their source)
}

/** What a finished stage run commits in one transaction. */
export interface StageResult {
  artifacts: NewArtifact[];
  metrics: NewMetric[];
  params: Params;
  finishedAt: string;
  durationMs: number;
  exitCode: number | null;
}

export interface RunStore {
  readonly workspace: string; // absolute path of the .sonic directory

  beginRun(info: Omit<RunRecord, 'id' | 'status' | 'startedAt' | 'finishedAt'>): RunRecord;
  finishRun(runId: number, status: RunStatus): void;
  run(runId: number): RunRecord | undefined;
  /** Runs marked running (possibly by a runner that died). */
  runningRuns(): RunRecord[];

  insertStageRun(rec: Omit<StageRunRecord, 'id'>): StageRunRecord;
  updateStageRun(id: number, patch: Partial<Omit<StageRunRecord, 'id' | 'runId'>>): void;
  stageRun(id: number): StageRunRecord | undefined;
  /** Atomically: mark the stage run succeeded, record its artifacts, metrics and params. */
  commitStageRun(id: number, result: StageResult): void;

  /** Latest succeeded stage run with this fingerprint (the cache lookup). */
  findSucceededByFingerprint(fingerprint: string): StageRunRecord | undefined;
  /** Latest succeeded stage run of a stage id (for "why would it rerun" explanations). */
  lastSucceeded(stageId: string): StageRunRecord | undefined;
  /** Stage runs left 'running' by a runner that died (for resume / re-attach). */
  danglingStageRuns(): StageRunRecord[];
  /** Follows reusedFrom from a cached stage run to the stage run that produced the results. */
  resolveSource(stageRunId: number): number;

  artifactsOf(stageRunId: number): ArtifactRecord[]; // resolves cached runs to their source
  /** Whether any artifact row refers to this object hash. */
  hashReferenced(hash: string): boolean;
  metrics(filter: MetricFilter): MetricRecord[];
  runs(limit?: number): RunRecord[];
  stageRunsOf(runId: number): StageRunRecord[];
  appendEvent(runId: number, stageRunId: number | null, type: string, payload: unknown): void;

  /** Read-only SQL for `sonic query`. Rejects anything that is not a read. */
  query(sql: string, params?: unknown[]): Record<string, unknown>[];

  /** Content hash cache for workspace files, keyed by (path, size, mtime, inode). */
  cachedFileHash(path: string, size: number, mtimeMs: number, ino: number): string | undefined;
  rememberFileHash(path: string, size: number, mtimeMs: number, ino: number, hash: string): void;

  /**
   * Runs fn inside one SQLite transaction (committed when fn returns, rolled back when it throws); nested
   * calls become savepoints. The runner records hundreds of cached stage runs this way in one commit.
   */
  transaction<T>(fn: () => T): T;

  close(): void;
}
