// Versioned schema of the run store. Migrations are append-only: never edit a released one, add the next.
// Each is applied in its own transaction and recorded in schema_migrations.
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE runs (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        pipeline_name TEXT    NOT NULL,
        pipeline_file TEXT    NOT NULL,
        argv_json     TEXT    NOT NULL,
        targets_json  TEXT    NOT NULL,
        status        TEXT    NOT NULL CHECK (status IN ('running','succeeded','failed','interrupted')),
        started_at    TEXT    NOT NULL,
        finished_at   TEXT,
        host          TEXT    NOT NULL,
        pid           INTEGER NOT NULL
      );

      CREATE TABLE stage_runs (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id           INTEGER NOT NULL REFERENCES runs(id),
        stage_id         TEXT    NOT NULL,
        base_id          TEXT    NOT NULL,
        kind             TEXT    NOT NULL CHECK (kind IN ('uses','run')),
        uses             TEXT,
        fingerprint      TEXT    NOT NULL,
        fingerprint_json TEXT    NOT NULL,
        status           TEXT    NOT NULL CHECK (status IN
                           ('pending','running','succeeded','failed','cached','skipped','interrupted')),
        reason           TEXT    NOT NULL,
        reused_from      INTEGER REFERENCES stage_runs(id),
        attempt          INTEGER NOT NULL DEFAULT 1,
        executor         TEXT,
        job_id           TEXT,
        stage_run_dir    TEXT,
        log_path         TEXT,
        exit_code        INTEGER,
        error            TEXT,
        started_at       TEXT,
        finished_at      TEXT,
        duration_ms      INTEGER
      );
      CREATE INDEX stage_runs_by_run         ON stage_runs(run_id);
      CREATE INDEX stage_runs_by_stage       ON stage_runs(stage_id, status);
      CREATE INDEX stage_runs_by_base        ON stage_runs(base_id);
      CREATE INDEX stage_runs_by_fingerprint ON stage_runs(fingerprint, status);
      CREATE INDEX stage_runs_by_status      ON stage_runs(status);

      CREATE TABLE artifacts (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        stage_run_id INTEGER NOT NULL REFERENCES stage_runs(id),
        name         TEXT    NOT NULL,
        hash         TEXT    NOT NULL,
        size         INTEGER NOT NULL,
        type         TEXT    NOT NULL CHECK (type IN ('file','dir')),
        object_path  TEXT    NOT NULL, -- relative to the workspace when inside it
        UNIQUE (stage_run_id, name)
      );
      CREATE INDEX artifacts_by_hash ON artifacts(hash);

      -- value NULL stands for NaN (SQLite stores NaN as NULL).
      CREATE TABLE metrics (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        stage_run_id INTEGER NOT NULL REFERENCES stage_runs(id),
        name         TEXT    NOT NULL,
        value        REAL,
        step         INTEGER,
        tags_json    TEXT    NOT NULL DEFAULT '{}'
      );
      CREATE INDEX metrics_by_stage_run ON metrics(stage_run_id, name);
      CREATE INDEX metrics_by_name      ON metrics(name);

      CREATE TABLE metric_tags (
        metric_id INTEGER NOT NULL REFERENCES metrics(id) ON DELETE CASCADE,
        key       TEXT    NOT NULL,
        value     TEXT    NOT NULL,
        PRIMARY KEY (metric_id, key)
      ) WITHOUT ROWID;
      CREATE INDEX metric_tags_by_key_value ON metric_tags(key, value, metric_id);

      CREATE TABLE params (
        stage_run_id INTEGER NOT NULL REFERENCES stage_runs(id),
        key          TEXT    NOT NULL,
        value_json   TEXT    NOT NULL,
        PRIMARY KEY (stage_run_id, key)
      ) WITHOUT ROWID;

      CREATE TABLE events (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id       INTEGER NOT NULL REFERENCES runs(id),
        stage_run_id INTEGER REFERENCES stage_runs(id),
        type         TEXT    NOT NULL,
        payload_json TEXT    NOT NULL,
        at           TEXT    NOT NULL
      );
      CREATE INDEX events_by_run ON events(run_id, id);

      -- stat cache for workspace input files: the hash is trusted while (size, mtime, inode) are unchanged
      CREATE TABLE file_hashes (
        path       TEXT    PRIMARY KEY,
        size       INTEGER NOT NULL,
        mtime_ms   REAL    NOT NULL,
        ino        INTEGER NOT NULL,
        hash       TEXT    NOT NULL,
        checked_at TEXT    NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'query views',
    // Conveniences for `sonic query`: metrics seen through stage runs (cached ones resolved to the stage run
    // that recorded them) and the current results (the latest succeeded-or-cached run of every stage).
    sql: `
      CREATE VIEW stage_run_sources AS
      WITH RECURSIVE chain (stage_run_id, source_id, depth) AS (
        SELECT id, id, 0 FROM stage_runs
        UNION ALL
        SELECT c.stage_run_id, s.reused_from, c.depth + 1
        FROM chain c JOIN stage_runs s ON s.id = c.source_id
        WHERE s.status = 'cached' AND s.reused_from IS NOT NULL AND c.depth < 64
      )
      SELECT stage_run_id, source_id FROM (
        SELECT stage_run_id, source_id,
               ROW_NUMBER() OVER (PARTITION BY stage_run_id ORDER BY depth DESC) AS rn
        FROM chain
      ) WHERE rn = 1;

      CREATE VIEW metric_values AS
      SELECT m.id AS metric_id, s.run_id, s.id AS stage_run_id, s.stage_id, s.base_id, s.status,
             src.source_id AS source_stage_run_id, m.name, m.value, m.step, m.tags_json
      FROM stage_runs s
      JOIN stage_run_sources src ON src.stage_run_id = s.id
      JOIN metrics m ON m.stage_run_id = src.source_id;

      CREATE VIEW current_metrics AS
      SELECT * FROM metric_values
      WHERE stage_run_id IN (
        SELECT MAX(id) FROM stage_runs WHERE status IN ('succeeded', 'cached') GROUP BY stage_id
      );
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export class SchemaVersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaVersionError';
  }
}

/** Highest applied migration, 0 for an empty database. */
export function currentSchemaVersion(db: Database.Database): number {
  const table = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`)
    .get();
  if (table === undefined) return 0;
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

function checkNotNewer(dbPath: string, version: number, migrations: readonly Migration[]): void {
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  if (version > latest) {
    throw new SchemaVersionError(
      `${dbPath} has schema version ${version}, but this sonic only knows versions up to ${latest}; ` +
        'it was written by a newer sonic. Upgrade sonic (or use a different --workspace).',
    );
  }
}

/** Applies every pending migration, each in one transaction. Returns the versions applied. */
export function migrate(db: Database.Database, dbPath: string, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const current = currentSchemaVersion(db);
  checkNotNewer(dbPath, current, migrations);
  const applied: number[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
    }).immediate();
    applied.push(m.version);
  }
  return applied;
}

/** For read-only connections: the schema must be exactly what this code expects. */
export function checkSchemaReadable(db: Database.Database, dbPath: string, migrations: readonly Migration[] = MIGRATIONS): void {
  const version = currentSchemaVersion(db);
  checkNotNewer(dbPath, version, migrations);
  const latest = migrations[migrations.length - 1]!.version;
  if (version < latest) {
    throw new SchemaVersionError(
      `${dbPath} has schema version ${version}, this sonic expects ${latest}; ` +
        'run any writing command (e.g. `sonic run`) once to migrate it.',
    );
  }
}
