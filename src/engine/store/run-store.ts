// The SQLite run store (better-sqlite3). One writer (the runner); readers (query commands) may run at the
// same time thanks to WAL. Paths inside the workspace are stored relative to it, so a workspace can move.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Params } from '../config/pipeline-model.js';
import type {
  ArtifactRecord,
  MetricFilter,
  MetricRecord,
  NewArtifact,
  NewMetric,
  RunRecord,
  RunStatus,
  RunStore,
  StageRunRecord,
} from './store-api.js';
import { checkSchemaReadable, migrate } from './migrations.js';
import { ReadOnlyQueryError, StoreError, WorkspaceMissingError } from './errors.js';
import { hasWildcard, matchesPattern } from './pattern.js';
import { isWritingPragma } from './sql-statement-kind.js';

export const DB_FILE_NAME = 'sonic.db';
const BUSY_TIMEOUT_MS = 10_000;
/** Longest chain of cached -> cached -> … -> source that is followed (guards against a corrupt cycle). */
const MAX_REUSE_DEPTH = 64;

export interface OpenRunStoreOptions {
  /** Open for reading only: the database must exist and be at the current schema version. */
  readonly?: boolean;
}

/** A stage run chosen for a metrics view, with the stage run whose recorded results it stands for. */
export interface ResolvedStageRun {
  stageRun: StageRunRecord;
  sourceId: number; // == stageRun.id unless stageRun is cached
}

/** Everything the RunStore contract has, plus helpers for the query commands and gc. */
export interface SqliteRunStore extends RunStore {
  readonly dbPath: string;
  readonly readonly: boolean;
  run(runId: number): RunRecord | undefined;
  stageRun(id: number): StageRunRecord | undefined;
  /** Follows reusedFrom from a cached stage run to the stage run that produced the results. */
  resolveSource(stageRunId: number): number;
  /** The stage runs metrics(filter) reads, before metric-level filters: see MetricFilter.runId. */
  selectStageRuns(filter: Pick<MetricFilter, 'stage' | 'runId'>): ResolvedStageRun[];
  /** Artifacts of the selected stage runs (same selection rules as metrics), cached ones resolved. */
  artifacts(filter: Pick<MetricFilter, 'stage' | 'runId'>): (ArtifactRecord & { stageId: string; runId: number })[];
  paramsOf(stageRunId: number): Params;
  events(runId: number): { id: number; stageRunId: number | null; type: string; payload: unknown; at: string }[];
  /** Every artifact hash recorded (what gc must keep). */
  referencedHashes(): Set<string>;
  /** Whether any artifact row refers to this object hash. */
  hashReferenced(hash: string): boolean;
  /** Runs marked running (possibly by a runner that died). */
  runningRuns(): RunRecord[];
  /**
   * Runs fn inside one SQLite transaction (committed when fn returns, rolled back when it throws); nested
   * calls become savepoints. The runner records hundreds of cached stage runs this way in one commit.
   */
  transaction<T>(fn: () => T): T;
  /** query() plus the result's column names (known even when no row comes back). */
  queryWithColumns(sql: string, params?: unknown[]): { columns: string[]; rows: Record<string, unknown>[] };
}

interface RunRow {
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

interface StageRunRow {
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

interface ArtifactRow {
  id: number;
  stage_run_id: number;
  name: string;
  hash: string;
  size: number;
  type: 'file' | 'dir';
  object_path: string;
}

interface MetricRow {
  id: number;
  stage_run_id: number;
  stage_id: string;
  run_id: number;
  name: string;
  value: number | null;
  step: number | null;
  tags_json: string;
}

/** StageRunRecord field -> column, for inserts and patches. */
const STAGE_RUN_COLUMNS: Record<keyof Omit<StageRunRecord, 'id'>, keyof StageRunRow> = {
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
const PATH_FIELDS = new Set<string>(['stageRunDir', 'logPath']);

function toRun(r: RunRow): RunRecord {
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

export function openRunStore(workspaceDir: string, options: OpenRunStoreOptions = {}): SqliteRunStore {
  return SqliteStore.open(resolve(workspaceDir), options.readonly ?? false);
}

class SqliteStore implements SqliteRunStore {
  private queryDb: Database.Database | undefined;
  /** Prepared statements by SQL: compiling one costs more than running it, and the runner repeats a few hundred times. */
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(
    readonly workspace: string,
    readonly dbPath: string,
    readonly readonly: boolean,
    private readonly db: Database.Database,
  ) {}

  static open(workspace: string, readonly: boolean): SqliteStore {
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
    db.function('sonic_match', { deterministic: true }, (pattern: unknown, value: unknown) =>
      matchesPattern(String(pattern), String(value)) ? 1 : 0,
    );
    return new SqliteStore(workspace, dbPath, readonly, db);
  }

  // ---- paths ----

  private storePath(p: string): string;
  private storePath(p: string | null): string | null;
  private storePath(p: string | null): string | null {
    if (p === null) return null;
    const abs = resolve(p);
    const rel = relative(this.workspace, abs);
    if (rel === '' || rel.startsWith('..' + sep) || rel === '..' || isAbsolute(rel)) return abs;
    return rel;
  }

  private loadPath(p: string): string;
  private loadPath(p: string | null): string | null;
  private loadPath(p: string | null): string | null {
    if (p === null) return null;
    return isAbsolute(p) ? p : join(this.workspace, p);
  }

  private toStageRun(r: StageRunRow): StageRunRecord {
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
      stageRunDir: this.loadPath(r.stage_run_dir),
      logPath: this.loadPath(r.log_path),
      exitCode: r.exit_code,
      error: r.error,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      durationMs: r.duration_ms,
    };
  }

  private toArtifact(r: ArtifactRow): ArtifactRecord {
    return {
      id: r.id,
      stageRunId: r.stage_run_id,
      name: r.name,
      hash: r.hash,
      size: r.size,
      type: r.type,
      objectPath: this.loadPath(r.object_path),
    };
  }

  // ---- runs ----

  beginRun(info: Omit<RunRecord, 'id' | 'status' | 'startedAt' | 'finishedAt'>): RunRecord {
    const startedAt = new Date().toISOString();
    const res = this
      .prepare(
        `INSERT INTO runs (pipeline_name, pipeline_file, argv_json, targets_json, status, started_at, host, pid)
         VALUES (?, ?, ?, ?, 'running', ?, ?, ?)`,
      )
      .run(
        info.pipelineName,
        info.pipelineFile,
        JSON.stringify(info.argv),
        JSON.stringify(info.targets),
        startedAt,
        info.host,
        info.pid,
      );
    return this.run(Number(res.lastInsertRowid))!;
  }

  finishRun(runId: number, status: RunStatus): void {
    const res = this
      .prepare('UPDATE runs SET status = ?, finished_at = ? WHERE id = ?')
      .run(status, new Date().toISOString(), runId);
    if (res.changes === 0) throw new StoreError(`finishRun: no run with id ${runId}`);
  }

  run(runId: number): RunRecord | undefined {
    const row = this.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as RunRow | undefined;
    return row === undefined ? undefined : toRun(row);
  }

  runs(limit?: number): RunRecord[] {
    const rows =
      limit === undefined
        ? this.prepare('SELECT * FROM runs ORDER BY id DESC').all()
        : this.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT ?').all(limit);
    return (rows as RunRow[]).map(toRun);
  }

  runningRuns(): RunRecord[] {
    return (this.prepare(`SELECT * FROM runs WHERE status = 'running' ORDER BY id`).all() as RunRow[]).map(toRun);
  }

  // ---- stage runs ----

  insertStageRun(rec: Omit<StageRunRecord, 'id'>): StageRunRecord {
    const fields = Object.keys(STAGE_RUN_COLUMNS) as (keyof typeof STAGE_RUN_COLUMNS)[];
    const cols = fields.map((f) => STAGE_RUN_COLUMNS[f]);
    const values = fields.map((f) => {
      const v = rec[f];
      if (v === undefined) throw new StoreError(`insertStageRun: field ${f} is missing`);
      return PATH_FIELDS.has(f) ? this.storePath(v as string | null) : v;
    });
    const res = this
      .prepare(`INSERT INTO stage_runs (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`)
      .run(...values);
    return this.stageRun(Number(res.lastInsertRowid))!;
  }

  updateStageRun(id: number, patch: Partial<Omit<StageRunRecord, 'id' | 'runId'>>): void {
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [field, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      const col = (STAGE_RUN_COLUMNS as Record<string, string>)[field];
      if (col === undefined || field === 'runId') throw new StoreError(`updateStageRun: unknown field ${field}`);
      sets.push(`${col} = ?`);
      values.push(PATH_FIELDS.has(field) ? this.storePath(value as string | null) : value);
    }
    if (sets.length === 0) return;
    const res = this.prepare(`UPDATE stage_runs SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
    if (res.changes === 0) throw new StoreError(`updateStageRun: no stage run with id ${id}`);
  }

  stageRun(id: number): StageRunRecord | undefined {
    const row = this.prepare('SELECT * FROM stage_runs WHERE id = ?').get(id) as StageRunRow | undefined;
    return row === undefined ? undefined : this.toStageRun(row);
  }

  stageRunsOf(runId: number): StageRunRecord[] {
    const rows = this.prepare('SELECT * FROM stage_runs WHERE run_id = ? ORDER BY id').all(runId) as StageRunRow[];
    return rows.map((r) => this.toStageRun(r));
  }

  commitStageRun(
    id: number,
    result: {
      artifacts: NewArtifact[];
      metrics: NewMetric[];
      params: Params;
      finishedAt: string;
      durationMs: number;
      exitCode: number | null;
    },
  ): void {
    const markDone = this.prepare(
      `UPDATE stage_runs SET status = 'succeeded', finished_at = ?, duration_ms = ?, exit_code = ?, error = NULL
       WHERE id = ?`,
    );
    const insertArtifact = this.prepare(
      'INSERT INTO artifacts (stage_run_id, name, hash, size, type, object_path) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const insertMetric = this.prepare(
      'INSERT INTO metrics (stage_run_id, name, value, step, tags_json) VALUES (?, ?, ?, ?, ?)',
    );
    const insertTag = this.prepare('INSERT INTO metric_tags (metric_id, key, value) VALUES (?, ?, ?)');
    const insertParam = this.prepare('INSERT INTO params (stage_run_id, key, value_json) VALUES (?, ?, ?)');

    this.db
      .transaction(() => {
        const res = markDone.run(result.finishedAt, result.durationMs, result.exitCode, id);
        if (res.changes === 0) throw new StoreError(`commitStageRun: no stage run with id ${id}`);
        for (const a of result.artifacts) {
          insertArtifact.run(id, a.name, a.hash, a.size, a.type, this.storePath(a.objectPath));
        }
        for (const m of result.metrics) {
          if (typeof m.value !== 'number') {
            throw new StoreError(`commitStageRun: metric ${m.name} has a non-numeric value ${String(m.value)}`);
          }
          const tags = m.tags ?? {};
          const sortedTags = Object.fromEntries(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
          const mres = insertMetric.run(
            id,
            m.name,
            Number.isNaN(m.value) ? null : m.value,
            m.step ?? null,
            JSON.stringify(sortedTags),
          );
          for (const [k, v] of Object.entries(sortedTags)) insertTag.run(mres.lastInsertRowid, k, String(v));
        }
        for (const [k, v] of Object.entries(result.params)) insertParam.run(id, k, JSON.stringify(v));
      })
      .immediate();
  }

  findSucceededByFingerprint(fingerprint: string): StageRunRecord | undefined {
    const row = this
      .prepare(`SELECT * FROM stage_runs WHERE fingerprint = ? AND status = 'succeeded' ORDER BY id DESC LIMIT 1`)
      .get(fingerprint) as StageRunRow | undefined;
    return row === undefined ? undefined : this.toStageRun(row);
  }

  lastSucceeded(stageId: string): StageRunRecord | undefined {
    const row = this
      .prepare(`SELECT * FROM stage_runs WHERE stage_id = ? AND status = 'succeeded' ORDER BY id DESC LIMIT 1`)
      .get(stageId) as StageRunRow | undefined;
    return row === undefined ? undefined : this.toStageRun(row);
  }

  danglingStageRuns(): StageRunRecord[] {
    const rows = this
      .prepare(`SELECT * FROM stage_runs WHERE status = 'running' ORDER BY id`)
      .all() as StageRunRow[];
    return rows.map((r) => this.toStageRun(r));
  }

  resolveSource(stageRunId: number): number {
    const get = this.prepare('SELECT status, reused_from FROM stage_runs WHERE id = ?');
    let id = stageRunId;
    for (let depth = 0; depth <= MAX_REUSE_DEPTH; depth++) {
      const row = get.get(id) as { status: string; reused_from: number | null } | undefined;
      if (row === undefined) throw new StoreError(`no stage run with id ${id}`);
      if (row.status !== 'cached' || row.reused_from === null) return id;
      id = row.reused_from;
    }
    throw new StoreError(`stage run ${stageRunId}: reusedFrom chain longer than ${MAX_REUSE_DEPTH} (a cycle?)`);
  }

  // ---- artifacts, metrics, params ----

  artifactsOf(stageRunId: number): ArtifactRecord[] {
    const source = this.resolveSource(stageRunId);
    const rows = this
      .prepare('SELECT * FROM artifacts WHERE stage_run_id = ? ORDER BY name')
      .all(source) as ArtifactRow[];
    return rows.map((r) => this.toArtifact(r));
  }

  selectStageRuns(filter: Pick<MetricFilter, 'stage' | 'runId'>): ResolvedStageRun[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.stage !== undefined) {
      if (hasWildcard(filter.stage)) {
        where.push('(sonic_match(?, stage_id) OR sonic_match(?, base_id))');
      } else {
        where.push('(stage_id = ? OR base_id = ?)');
      }
      args.push(filter.stage, filter.stage);
    }
    let sql: string;
    if (filter.runId !== undefined) {
      where.push('run_id = ?');
      args.push(filter.runId);
      sql = `SELECT * FROM stage_runs WHERE ${where.join(' AND ')} ORDER BY id`;
    } else {
      where.push(`status IN ('succeeded', 'cached')`);
      sql = `SELECT s.* FROM stage_runs s
             JOIN (SELECT MAX(id) AS id FROM stage_runs WHERE ${where.join(' AND ')} GROUP BY stage_id) latest
               ON latest.id = s.id
             ORDER BY s.stage_id`;
    }
    const rows = this.prepare(sql).all(...args) as StageRunRow[];
    return rows.map((r) => ({ stageRun: this.toStageRun(r), sourceId: this.resolveSource(r.id) }));
  }

  artifacts(filter: Pick<MetricFilter, 'stage' | 'runId'>): (ArtifactRecord & { stageId: string; runId: number })[] {
    const out: (ArtifactRecord & { stageId: string; runId: number })[] = [];
    for (const { stageRun, sourceId } of this.selectStageRuns(filter)) {
      const rows = this
        .prepare('SELECT * FROM artifacts WHERE stage_run_id = ? ORDER BY name')
        .all(sourceId) as ArtifactRow[];
      for (const r of rows) out.push({ ...this.toArtifact(r), stageId: stageRun.stageId, runId: stageRun.runId });
    }
    return out;
  }

  /**
   * Metrics of the selected stage runs (see MetricFilter). A record's stageId and runId are those of the
   * selected stage run (the cached one, when cached); stageRunId is the stage run that recorded the value.
   */
  metrics(filter: MetricFilter): MetricRecord[] {
    const selected = this.selectStageRuns(filter);
    if (selected.length === 0) return [];
    const where: string[] = ['m.stage_run_id = ?'];
    const args: unknown[] = [];
    if (filter.name !== undefined) {
      where.push(hasWildcard(filter.name) ? 'sonic_match(?, m.name)' : 'm.name = ?');
      args.push(filter.name);
    }
    for (const [k, v] of Object.entries(filter.tags ?? {})) {
      where.push('EXISTS (SELECT 1 FROM metric_tags t WHERE t.metric_id = m.id AND t.key = ? AND t.value = ?)');
      args.push(k, v);
    }
    const stmt = this.prepare(
      `SELECT m.id, m.stage_run_id, m.name, m.value, m.step, m.tags_json FROM metrics m
       WHERE ${where.join(' AND ')} ORDER BY m.name, m.step, m.id`,
    );
    const out: MetricRecord[] = [];
    for (const { stageRun, sourceId } of selected) {
      const rows = stmt.all(sourceId, ...args) as Omit<MetricRow, 'stage_id' | 'run_id'>[];
      for (const r of rows) {
        out.push({
          id: r.id,
          stageRunId: r.stage_run_id,
          stageId: stageRun.stageId,
          runId: stageRun.runId,
          name: r.name,
          value: r.value === null ? Number.NaN : r.value,
          step: r.step,
          tags: JSON.parse(r.tags_json) as Record<string, string>,
        });
      }
    }
    return out;
  }

  paramsOf(stageRunId: number): Params {
    const rows = this
      .prepare('SELECT key, value_json FROM params WHERE stage_run_id = ? ORDER BY key')
      .all(this.resolveSource(stageRunId)) as { key: string; value_json: string }[];
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value_json)])) as Params;
  }

  hashReferenced(hash: string): boolean {
    return this.prepare('SELECT 1 FROM artifacts WHERE hash = ? LIMIT 1').get(hash) !== undefined;
  }

  referencedHashes(): Set<string> {
    const rows = this.prepare('SELECT DISTINCT hash FROM artifacts').all() as { hash: string }[];
    return new Set(rows.map((r) => r.hash));
  }

  // ---- events ----

  appendEvent(runId: number, stageRunId: number | null, type: string, payload: unknown): void {
    this
      .prepare('INSERT INTO events (run_id, stage_run_id, type, payload_json, at) VALUES (?, ?, ?, ?, ?)')
      .run(runId, stageRunId, type, JSON.stringify(payload ?? null), new Date().toISOString());
  }

  events(runId: number): { id: number; stageRunId: number | null; type: string; payload: unknown; at: string }[] {
    const rows = this
      .prepare('SELECT id, stage_run_id, type, payload_json, at FROM events WHERE run_id = ? ORDER BY id')
      .all(runId) as { id: number; stage_run_id: number | null; type: string; payload_json: string; at: string }[];
    return rows.map((r) => ({
      id: r.id,
      stageRunId: r.stage_run_id,
      type: r.type,
      payload: JSON.parse(r.payload_json) as unknown,
      at: r.at,
    }));
  }

  // ---- read-only SQL ----

  query(sql: string, params: unknown[] = []): Record<string, unknown>[] {
    return this.queryWithColumns(sql, params).rows;
  }

  queryWithColumns(sql: string, params: unknown[] = []): { columns: string[]; rows: Record<string, unknown>[] } {
    const db = this.readOnlyConnection();
    let stmt: Database.Statement;
    try {
      stmt = db.prepare(sql);
    } catch (e) {
      throw new ReadOnlyQueryError(`query: ${(e as Error).message}`);
    }
    if (!stmt.reader || isWritingPragma(sql)) {
      throw new ReadOnlyQueryError(
        'query: only reads are allowed (SELECT, WITH … SELECT, read-only PRAGMA); this statement would modify the database',
      );
    }
    try {
      const rows = stmt.all(...params) as Record<string, unknown>[];
      return { columns: stmt.columns().map((c) => c.name), rows };
    } catch (e) {
      throw new ReadOnlyQueryError(`query: ${(e as Error).message}`);
    }
  }

  private readOnlyConnection(): Database.Database {
    if (this.queryDb === undefined) {
      const db = new Database(this.dbPath, { readonly: true, fileMustExist: true });
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.pragma('query_only = ON');
      this.queryDb = db;
    }
    return this.queryDb;
  }

  // ---- file hash cache ----

  cachedFileHash(path: string, size: number, mtimeMs: number, ino: number): string | undefined {
    const row = this
      .prepare('SELECT hash FROM file_hashes WHERE path = ? AND size = ? AND mtime_ms = ? AND ino = ?')
      .get(resolve(path), size, mtimeMs, ino) as { hash: string } | undefined;
    return row?.hash;
  }

  rememberFileHash(path: string, size: number, mtimeMs: number, ino: number, hash: string): void {
    this
      .prepare(
        `INSERT INTO file_hashes (path, size, mtime_ms, ino, hash, checked_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, ino = excluded.ino,
           hash = excluded.hash, checked_at = excluded.checked_at`,
      )
      .run(resolve(path), size, mtimeMs, ino, hash, new Date().toISOString());
  }

  private prepare(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    this.queryDb?.close();
    this.queryDb = undefined;
    if (this.db.open) this.db.close();
  }
}
