import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { openRunStore } from '../../../src/engine/store/run-store.js';
import { LATEST_SCHEMA_VERSION, SchemaVersionError } from '../../../src/engine/store/migrations.js';
import { ReadOnlyQueryError, WorkspaceMissingError } from '../../../src/engine/store/errors.js';
import { HASH_A, HASH_B, newRun, stageRunFields, tempDir } from './fixtures.js';

test('fresh workspace gets every migration; reopening applies nothing and keeps data', () => {
  const { dir, cleanup } = tempDir();
  try {
    const ws = join(dir, '.sonic');
    const s1 = openRunStore(ws);
    const run = newRun(s1);
    s1.close();
    const s2 = openRunStore(ws);
    assert.deepEqual(
      s2.query('SELECT version FROM schema_migrations ORDER BY version').map((r) => r['version']),
      Array.from({ length: LATEST_SCHEMA_VERSION }, (_, i) => i + 1),
    );
    assert.equal(s2.runs()[0]!.id, run.id);
    assert.equal(s2.query('PRAGMA journal_mode')[0]!['journal_mode'], 'wal');
    s2.close();
  } finally {
    cleanup();
  }
});

test('a database written by a newer sonic is refused with a clear error', () => {
  const { dir, cleanup } = tempDir();
  try {
    openRunStore(dir).close();
    const db = new Database(join(dir, 'sonic.db'));
    db.prepare(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 'x')`).run(
      LATEST_SCHEMA_VERSION + 1,
    );
    db.close();
    assert.throws(() => openRunStore(dir), (e: Error) => e instanceof SchemaVersionError && /newer sonic/.test(e.message));
    assert.throws(() => openRunStore(dir, { readonly: true }), SchemaVersionError);
  } finally {
    cleanup();
  }
});

test('read-only open of a missing workspace names it', () => {
  const { dir, cleanup } = tempDir();
  try {
    assert.throws(
      () => openRunStore(join(dir, 'nope'), { readonly: true }),
      (e: Error) => e instanceof WorkspaceMissingError && e.message.includes('no .sonic workspace at') && e.message.includes('nope'),
    );
  } finally {
    cleanup();
  }
});

test('commitStageRun records everything in one transaction; a failing insert leaves nothing', () => {
  const { dir, cleanup } = tempDir();
  const store = openRunStore(dir);
  try {
    const run = newRun(store);
    const sr = store.insertStageRun(stageRunFields(run.id, 'train', { stageRunDir: join(dir, 'runs', '1', 'train') }));
    assert.equal(store.stageRun(sr.id)!.stageRunDir, join(dir, 'runs', '1', 'train'));
    assert.equal(store.query('SELECT stage_run_dir FROM stage_runs')[0]!['stage_run_dir'], join('runs', '1', 'train'));
    const good = { name: 'model', hash: HASH_A, size: 3, type: 'file' as const, objectPath: join(dir, 'objects', 'aa', 'x') };
    // the duplicate artifact name violates UNIQUE(stage_run_id, name) after the first rows went in
    assert.throws(() =>
      store.commitStageRun(sr.id, {
        artifacts: [good, { ...good, hash: HASH_B }],
        metrics: [{ name: 'loss', value: 1, tags: { a: 'b' } }],
        params: { lr: 0.1 },
        finishedAt: new Date().toISOString(),
        durationMs: 5,
        exitCode: 0,
      }),
    );
    for (const t of ['artifacts', 'metrics', 'metric_tags', 'params']) {
      assert.equal(store.query(`SELECT COUNT(*) AS n FROM ${t}`)[0]!['n'], 0, t);
    }
    assert.equal(store.stageRun(sr.id)!.status, 'running');

    store.commitStageRun(sr.id, {
      artifacts: [good],
      metrics: [
        { name: 'loss', value: 0.5, step: 10, tags: { split: 'val' } },
        { name: 'nan', value: Number.NaN },
      ],
      params: { lr: 0.1, layers: [1, 2] },
      finishedAt: '2026-01-01T00:00:00.000Z',
      durationMs: 7,
      exitCode: 0,
    });
    const done = store.stageRun(sr.id)!;
    assert.equal(done.status, 'succeeded');
    assert.equal(done.durationMs, 7);
    assert.deepEqual(store.artifactsOf(sr.id).map((a) => [a.name, a.hash, a.objectPath]), [['model', HASH_A, good.objectPath]]);
    assert.deepEqual(store.paramsOf(sr.id), { layers: [1, 2], lr: 0.1 });
    const ms = store.metrics({ runId: run.id });
    assert.deepEqual(ms.map((m) => [m.name, m.step, m.tags]), [['loss', 10, { split: 'val' }], ['nan', null, {}]]);
    assert.ok(Number.isNaN(ms[1]!.value));
  } finally {
    store.close();
    cleanup();
  }
});

function commit(store: ReturnType<typeof openRunStore>, id: number, metrics: { name: string; value: number; tags?: Record<string, string> }[], hash = HASH_A) {
  store.commitStageRun(id, {
    artifacts: [{ name: 'out', hash, size: 1, type: 'file', objectPath: `/objects/${hash}` }],
    metrics,
    params: {},
    finishedAt: new Date().toISOString(),
    durationMs: 1,
    exitCode: 0,
  });
}

test('cache lookup, lastSucceeded, dangling stage runs', () => {
  const { dir, cleanup } = tempDir();
  const store = openRunStore(dir);
  try {
    const run = newRun(store);
    const a = store.insertStageRun(stageRunFields(run.id, 'eval', { fingerprint: 'F1' }));
    assert.equal(store.findSucceededByFingerprint('F1'), undefined);
    assert.deepEqual(store.danglingStageRuns().map((s) => s.id), [a.id]);
    commit(store, a.id, []);
    const b = store.insertStageRun(stageRunFields(run.id, 'eval', { fingerprint: 'F1' }));
    store.updateStageRun(b.id, { status: 'failed', error: 'boom', exitCode: 1 });
    assert.equal(store.findSucceededByFingerprint('F1')!.id, a.id);
    assert.equal(store.lastSucceeded('eval')!.id, a.id);
    assert.equal(store.stageRun(b.id)!.error, 'boom');
    assert.deepEqual(store.danglingStageRuns(), []);
    assert.throws(() => store.updateStageRun(b.id, { nonsense: 1 } as never), /unknown field nonsense/);
  } finally {
    store.close();
    cleanup();
  }
});

test('cached stage runs resolve to their source for artifacts and metrics; default view = latest per stage', () => {
  const { dir, cleanup } = tempDir();
  const store = openRunStore(dir);
  try {
    const r1 = newRun(store);
    const src = store.insertStageRun(stageRunFields(r1.id, 'eval[ablation=full]', { fingerprint: 'F' }));
    commit(store, src.id, [{ name: 'ais', value: 0.6, tags: { ablation: 'full' } }]);
    const other = store.insertStageRun(stageRunFields(r1.id, 'eval[ablation=no_mse]', { fingerprint: 'G' }));
    commit(store, other.id, [{ name: 'ais', value: 0.4, tags: { ablation: 'no_mse' } }], HASH_B);
    store.finishRun(r1.id, 'succeeded');

    const r2 = newRun(store);
    const cached = store.insertStageRun(
      stageRunFields(r2.id, 'eval[ablation=full]', { fingerprint: 'F', status: 'cached', reusedFrom: src.id }),
    );
    const failed = store.insertStageRun(stageRunFields(r2.id, 'eval[ablation=no_mse]', { status: 'failed' }));
    assert.ok(failed.id > other.id);

    assert.deepEqual(store.artifactsOf(cached.id).map((a) => [a.stageRunId, a.hash]), [[src.id, HASH_A]]);
    const inRun2 = store.metrics({ runId: r2.id });
    assert.deepEqual(inRun2.map((m) => [m.stageId, m.runId, m.stageRunId, m.value]), [['eval[ablation=full]', r2.id, src.id, 0.6]]);

    const current = store.metrics({});
    assert.deepEqual(
      current.map((m) => [m.stageId, m.runId, m.value]),
      [['eval[ablation=full]', r2.id, 0.6], ['eval[ablation=no_mse]', r1.id, 0.4]],
    );
    assert.deepEqual(store.metrics({ tags: { ablation: 'no_mse' } }).map((m) => m.value), [0.4]);
    assert.deepEqual(store.metrics({ tags: { ablation: 'no_mse', x: 'y' } }), []);
    assert.deepEqual(store.metrics({ stage: 'eval' }).length, 2);
    assert.deepEqual(store.metrics({ stage: 'eval[ablation=full]' }).map((m) => m.value), [0.6]);
    assert.deepEqual(store.metrics({ stage: '*no_mse]' }).map((m) => m.value), [0.4]);
    assert.deepEqual(store.metrics({ name: 'a*' }).length, 2);
    assert.deepEqual(store.metrics({ name: 'fid' }), []);
    assert.deepEqual(store.artifacts({}).map((a) => [a.stageId, a.hash]), [
      ['eval[ablation=full]', HASH_A],
      ['eval[ablation=no_mse]', HASH_B],
    ]);
    assert.deepEqual([...store.referencedHashes()].sort(), [HASH_A, HASH_B]);
  } finally {
    store.close();
    cleanup();
  }
});

test('query() allows reads and rejects INSERT, DROP, ATTACH and writing PRAGMAs', () => {
  const { dir, cleanup } = tempDir();
  const store = openRunStore(dir);
  try {
    newRun(store);
    assert.equal(store.query('SELECT COUNT(*) AS n FROM runs')[0]!['n'], 1);
    assert.equal(store.query('WITH x AS (SELECT id FROM runs) SELECT * FROM x WHERE id = ?', [1]).length, 1);
    for (const sql of [
      `INSERT INTO runs (pipeline_name, pipeline_file, argv_json, targets_json, status, started_at, host, pid) VALUES ('a','b','[]','[]','running','x','h',1)`,
      'DROP TABLE runs',
      `ATTACH DATABASE '${join(dir, 'other.db')}' AS other`,
      'PRAGMA user_version = 5',
      'PRAGMA journal_mode(DELETE)',
      'PRAGMA main.journal_mode = DELETE',
      'PRAGMA wal_checkpoint',
      'VACUUM',
      'DELETE FROM runs',
    ]) {
      assert.throws(() => store.query(sql), ReadOnlyQueryError, sql);
    }
    assert.throws(() => store.query('SELECT * FROM nope'), /no such table: nope/);
    assert.equal(store.query('PRAGMA table_info(runs)')[0]!['name'], 'id');
    assert.equal(store.query('PRAGMA integrity_check')[0]!['integrity_check'], 'ok');
    assert.equal(store.query('SELECT COUNT(*) AS n FROM runs')[0]!['n'], 1);
  } finally {
    store.close();
    cleanup();
  }
});

test('file hash cache hits only while size, mtime and inode are unchanged', () => {
  const { dir, cleanup } = tempDir();
  const store = openRunStore(dir);
  try {
    store.rememberFileHash('/data/a.wav', 10, 1000.5, 7, HASH_A);
    assert.equal(store.cachedFileHash('/data/a.wav', 10, 1000.5, 7), HASH_A);
    assert.equal(store.cachedFileHash('/data/a.wav', 10, 1001, 7), undefined);
    assert.equal(store.cachedFileHash('/data/a.wav', 11, 1000.5, 7), undefined);
    store.rememberFileHash('/data/a.wav', 11, 1001, 8, HASH_B);
    assert.equal(store.cachedFileHash('/data/a.wav', 11, 1001, 8), HASH_B);
  } finally {
    store.close();
    cleanup();
  }
});

test('events are appended in order with their payloads', () => {
  const { dir, cleanup } = tempDir();
  const store = openRunStore(dir);
  try {
    const run = newRun(store);
    store.appendEvent(run.id, null, 'run-start', { n: 1 });
    store.appendEvent(run.id, null, 'run-end', null);
    assert.deepEqual(store.events(run.id).map((e) => [e.type, e.payload]), [['run-start', { n: 1 }], ['run-end', null]]);
  } finally {
    store.close();
    cleanup();
  }
});

test('migrations: a later version applies on reopen; a failing one rolls back entirely', async () => {
  const { migrate, MIGRATIONS, currentSchemaVersion } = await import('../../../src/engine/store/migrations.js');
  const { dir, cleanup } = tempDir();
  try {
    openRunStore(dir).close();
    const path = join(dir, 'sonic.db');
    const db = new Database(path);
    const bad = [...MIGRATIONS, { version: LATEST_SCHEMA_VERSION + 1, name: 'bad', sql: 'CREATE TABLE x (a); INSERT INTO nowhere VALUES (1);' }];
    assert.throws(() => migrate(db, path, bad), /no such table: nowhere/);
    assert.equal(currentSchemaVersion(db), LATEST_SCHEMA_VERSION);
    assert.deepEqual(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'x'`).all(), []);
    const good = [...MIGRATIONS, { version: LATEST_SCHEMA_VERSION + 1, name: 'add notes', sql: 'ALTER TABLE runs ADD COLUMN notes TEXT;' }];
    assert.deepEqual(migrate(db, path, good), [LATEST_SCHEMA_VERSION + 1]);
    assert.deepEqual(migrate(db, path, good), []);
    db.close();
  } finally {
    cleanup();
  }
});

test('a reader sees committed data while the writer holds an open transaction (WAL)', () => {
  const { dir, cleanup } = tempDir();
  const writer = openRunStore(dir);
  try {
    newRun(writer);
    const raw = new Database(join(dir, 'sonic.db'));
    raw.exec('BEGIN IMMEDIATE');
    raw.prepare(`UPDATE runs SET status = 'failed'`).run();
    const reader = openRunStore(dir, { readonly: true });
    assert.equal(reader.runs()[0]!.status, 'running');
    reader.close();
    raw.exec('ROLLBACK');
    raw.close();
  } finally {
    writer.close();
    cleanup();
  }
});

test('the current_metrics and metric_values views agree with metrics()', () => {
  const { dir, cleanup } = tempDir();
  const store = openRunStore(dir);
  try {
    const r1 = newRun(store);
    const a = store.insertStageRun(stageRunFields(r1.id, 'eval[x=1]'));
    commit(store, a.id, [{ name: 'ais', value: 0.5, tags: { x: '1' } }]);
    const b = store.insertStageRun(stageRunFields(r1.id, 'eval[x=2]'));
    commit(store, b.id, [{ name: 'ais', value: 0.7, tags: { x: '2' } }]);
    const r2 = newRun(store);
    const c1 = store.insertStageRun(stageRunFields(r2.id, 'eval[x=1]', { status: 'cached', reusedFrom: a.id }));
    const c2 = store.insertStageRun(stageRunFields(r2.id, 'eval[x=1]', { status: 'cached', reusedFrom: c1.id }));
    const viaView = store.query('SELECT stage_id, run_id, source_stage_run_id, value FROM current_metrics ORDER BY stage_id');
    assert.deepEqual(viaView, [
      { stage_id: 'eval[x=1]', run_id: r2.id, source_stage_run_id: a.id, value: 0.5 },
      { stage_id: 'eval[x=2]', run_id: r1.id, source_stage_run_id: b.id, value: 0.7 },
    ]);
    assert.deepEqual(
      store.metrics({}).map((m) => ({ stage_id: m.stageId, run_id: m.runId, source_stage_run_id: m.stageRunId, value: m.value })),
      viaView,
    );
    assert.equal(store.query('SELECT COUNT(*) AS n FROM metric_values WHERE stage_run_id = ?', [c2.id])[0]!['n'], 1);
    assert.equal(store.query(`SELECT value FROM current_metrics WHERE json_extract(tags_json, '$.x') = '2'`)[0]!['value'], 0.7);
  } finally {
    store.close();
    cleanup();
  }
});

test('an older database is upgraded by a writing open; a read-only open asks for that first', async () => {
  const { migrate, MIGRATIONS } = await import('../../../src/engine/store/migrations.js');
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'sonic.db');
    const db = new Database(path);
    migrate(db, path, MIGRATIONS.slice(0, 1));
    db.close();
    assert.throws(() => openRunStore(dir, { readonly: true }), /schema version 1, this sonic expects 2; run any writing command/);
    const store = openRunStore(dir);
    assert.deepEqual(store.query('SELECT COUNT(*) AS n FROM current_metrics'), [{ n: 0 }]);
    store.close();
    openRunStore(dir, { readonly: true }).close();
  } finally {
    cleanup();
  }
});
