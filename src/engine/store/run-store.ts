// The SQLite run store (better-sqlite3). One writer (the runner); readers (query commands) may run at the
// same time thanks to WAL. This file opens the database and assembles the store from its parts: row
// mappers (row-mappers.ts), the runner's writes (run-writes.ts), queries (run-queries.ts,
// metric-queries.ts), the read-only SQL console (query-console.ts) and the file-hash cache.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Params } from '../config/pipeline-model.js';
import type { ArtifactRecord, MetricFilter, MetricRecord, RunRecord, RunStatus, RunStore, StageResult, StageRunRecord } from './store-api.js';
import { checkSchemaReadable, migrate } from './migrations.js';
import { WorkspaceMissingError } from './errors.js';
import { matchesPattern } from './pattern.js';
import { storeContext, type StoreContext } from './store-context.js';
import * as writes from './run-writes.js';
import * as queries from './run-queries.js';
import { artifactsOf, selectArtifacts, selectMetrics, selectStageRuns, type ResolvedStageRun } from './metric-queries.js';
import { QueryConsole, type QueryResult } from './query-console.js';
import { cachedFileHash, rememberFileHash } from './file-hash-cache.js';

export type { ResolvedStageRun } from './metric-queries.js';
export type { StoredEvent } from './run-queries.js';

export const DB_FILE_NAME = 'sonic.db';
const BUSY_TIMEOUT_MS = 10_000;

export interface OpenRunStoreOptions {
  /** Open for reading only: the database must exist and be at the current schema version. */
  readonly?: boolean;
}

/** Everything the RunStore contract has, plus helpers for the query commands, the UI and gc. */
export interface SqliteRunStore extends RunStore {
  readonly dbPath: string;
  readonly readonly: boolean;
  /** The stage runs metrics(filter) reads, before metric-level filters: see MetricFilter.runId. */
  selectStageRuns(filter: Pick<MetricFilter, 'stage' | 'runId'>): ResolvedStageRun[];
  /** Artifacts of the selected stage runs (same selection rules as metrics), cached ones resolved. */
  artifacts(filter: Pick<MetricFilter, 'stage' | 'runId'>): (ArtifactRecord & { stageId: string; runId: number })[];
  paramsOf(stageRunId: number): Params;
  events(runId: number): queries.StoredEvent[];
  /** Every artifact hash recorded (what gc must keep). */
  referencedHashes(): Set<string>;
  /** query() plus the result's column names (known even when no row comes back). */
  queryWithColumns(sql: string, params?: unknown[]): QueryResult;
}

export function openRunStore(workspaceDir: string, options: OpenRunStoreOptions = {}): SqliteRunStore {
  const workspace = resolve(workspaceDir);
  const readonly = options.readonly ?? false;
  const dbPath = join(workspace, DB_FILE_NAME);
  if (readonly) {
    if (!existsSync(dbPath)) throw new WorkspaceMissingError(workspace);
  } else {
    mkdirSync(workspace, { recursive: true });
  }
  const db = new Database(dbPath, { readonly, fileMustExist: readonly });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (readonly) {
      checkSchemaReadable(db, dbPath);
    } else {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db, dbPath);
    }
  } catch (e) {
    db.close();
    throw e;
  }
  db.function('sonic_match', { deterministic: true }, (pattern: unknown, value: unknown) => (matchesPattern(String(pattern), String(value)) ? 1 : 0));
  return new SqliteStore(workspace, dbPath, readonly, db);
}

class SqliteStore implements SqliteRunStore {
  private readonly ctx: StoreContext;
  private readonly console: QueryConsole;

  constructor(
    readonly workspace: string,
    readonly dbPath: string,
    readonly readonly: boolean,
    private readonly db: Database.Database,
  ) {
    this.ctx = storeContext(db, workspace);
    this.console = new QueryConsole(dbPath, BUSY_TIMEOUT_MS);
  }

  beginRun(info: Omit<RunRecord, 'id' | 'status' | 'startedAt' | 'finishedAt'>): RunRecord {
    return this.run(writes.insertRun(this.ctx, info))!;
  }
  finishRun(runId: number, status: RunStatus): void {
    writes.finishRun(this.ctx, runId, status);
  }
  run(runId: number): RunRecord | undefined {
    return queries.runById(this.ctx, runId);
  }
  runs(limit?: number): RunRecord[] {
    return queries.latestRuns(this.ctx, limit);
  }
  runningRuns(): RunRecord[] {
    return queries.runningRuns(this.ctx);
  }

  insertStageRun(rec: Omit<StageRunRecord, 'id'>): StageRunRecord {
    return this.stageRun(writes.insertStageRun(this.ctx, rec))!;
  }
  updateStageRun(id: number, patch: Partial<Omit<StageRunRecord, 'id' | 'runId'>>): void {
    writes.updateStageRun(this.ctx, id, patch);
  }
  commitStageRun(id: number, result: StageResult): void {
    writes.commitStageRun(this.ctx, id, result);
  }
  stageRun(id: number): StageRunRecord | undefined {
    return queries.stageRunById(this.ctx, id);
  }
  stageRunsOf(runId: number): StageRunRecord[] {
    return queries.stageRunsOf(this.ctx, runId);
  }
  findSucceededByFingerprint(fingerprint: string): StageRunRecord | undefined {
    return queries.findSucceededByFingerprint(this.ctx, fingerprint);
  }
  lastSucceeded(stageId: string): StageRunRecord | undefined {
    return queries.lastSucceeded(this.ctx, stageId);
  }
  danglingStageRuns(): StageRunRecord[] {
    return queries.danglingStageRuns(this.ctx);
  }
  resolveSource(stageRunId: number): number {
    return queries.resolveSource(this.ctx, stageRunId);
  }

  artifactsOf(stageRunId: number): ArtifactRecord[] {
    return artifactsOf(this.ctx, stageRunId);
  }
  selectStageRuns(filter: Pick<MetricFilter, 'stage' | 'runId'>): ResolvedStageRun[] {
    return selectStageRuns(this.ctx, filter);
  }
  artifacts(filter: Pick<MetricFilter, 'stage' | 'runId'>): (ArtifactRecord & { stageId: string; runId: number })[] {
    return selectArtifacts(this.ctx, filter);
  }
  metrics(filter: MetricFilter): MetricRecord[] {
    return selectMetrics(this.ctx, filter);
  }
  paramsOf(stageRunId: number): Params {
    return queries.paramsOf(this.ctx, stageRunId);
  }
  hashReferenced(hash: string): boolean {
    return queries.hashReferenced(this.ctx, hash);
  }
  referencedHashes(): Set<string> {
    return queries.referencedHashes(this.ctx);
  }

  appendEvent(runId: number, stageRunId: number | null, type: string, payload: unknown): void {
    writes.appendEvent(this.ctx, runId, stageRunId, type, payload);
  }
  events(runId: number): queries.StoredEvent[] {
    return queries.eventsOf(this.ctx, runId);
  }

  query(sql: string, params: unknown[] = []): Record<string, unknown>[] {
    return this.console.run(sql, params).rows;
  }
  queryWithColumns(sql: string, params: unknown[] = []): QueryResult {
    return this.console.run(sql, params);
  }

  cachedFileHash(path: string, size: number, mtimeMs: number, ino: number): string | undefined {
    return cachedFileHash(this.ctx, path, size, mtimeMs, ino);
  }
  rememberFileHash(path: string, size: number, mtimeMs: number, ino: number, hash: string): void {
    rememberFileHash(this.ctx, path, size, mtimeMs, ino, hash);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    this.console.close();
    if (this.db.open) this.db.close();
  }
}
