// The runner's writes: runs, stage runs, the one-transaction commit of a stage's results, and events.
import { StoreError } from './errors.js';
import { STAGE_RUN_COLUMNS, STAGE_RUN_PATH_FIELDS } from './row-mappers.js';
import type { StoreContext } from './store-context.js';
import type { RunRecord, RunStatus, StageResult, StageRunRecord } from './store-api.js';

/** Inserts a run marked running; returns its id. */
export function insertRun(ctx: StoreContext, info: Omit<RunRecord, 'id' | 'status' | 'startedAt' | 'finishedAt'>): number {
  const res = ctx
    .prepare(
      `INSERT INTO runs (pipeline_name, pipeline_file, argv_json, targets_json, status, started_at, host, pid)
       VALUES (?, ?, ?, ?, 'running', ?, ?, ?)`,
    )
    .run(info.pipelineName, info.pipelineFile, JSON.stringify(info.argv), JSON.stringify(info.targets), new Date().toISOString(), info.host, info.pid);
  return Number(res.lastInsertRowid);
}

export function finishRun(ctx: StoreContext, runId: number, status: RunStatus): void {
  const res = ctx.prepare('UPDATE runs SET status = ?, finished_at = ? WHERE id = ?').run(status, new Date().toISOString(), runId);
  if (res.changes === 0) throw new StoreError(`finishRun: no run with id ${runId}`);
}

/** Inserts a stage run; returns its id. */
export function insertStageRun(ctx: StoreContext, rec: Omit<StageRunRecord, 'id'>): number {
  const fields = Object.keys(STAGE_RUN_COLUMNS) as (keyof typeof STAGE_RUN_COLUMNS)[];
  const cols = fields.map((f) => STAGE_RUN_COLUMNS[f]);
  const values = fields.map((f) => {
    const v = rec[f];
    if (v === undefined) throw new StoreError(`insertStageRun: field ${f} is missing`);
    return STAGE_RUN_PATH_FIELDS.has(f) ? ctx.paths.toStored(v as string | null) : v;
  });
  const res = ctx.prepare(`INSERT INTO stage_runs (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...values);
  return Number(res.lastInsertRowid);
}

export function updateStageRun(ctx: StoreContext, id: number, patch: Partial<Omit<StageRunRecord, 'id' | 'runId'>>): void {
  const sets: string[] = [];
  const values: unknown[] = [];
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const col = (STAGE_RUN_COLUMNS as Record<string, string>)[field];
    if (col === undefined || field === 'runId') throw new StoreError(`updateStageRun: unknown field ${field}`);
    sets.push(`${col} = ?`);
    values.push(STAGE_RUN_PATH_FIELDS.has(field) ? ctx.paths.toStored(value as string | null) : value);
  }
  if (sets.length === 0) return;
  const res = ctx.prepare(`UPDATE stage_runs SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
  if (res.changes === 0) throw new StoreError(`updateStageRun: no stage run with id ${id}`);
}

/** Marks the stage run succeeded and records its artifacts, metrics and params in one transaction. */
export function commitStageRun(ctx: StoreContext, id: number, result: StageResult): void {
  const markDone = ctx.prepare(
    `UPDATE stage_runs SET status = 'succeeded', finished_at = ?, duration_ms = ?, exit_code = ?, error = NULL
     WHERE id = ?`,
  );
  const insertArtifact = ctx.prepare('INSERT INTO artifacts (stage_run_id, name, hash, size, type, object_path) VALUES (?, ?, ?, ?, ?, ?)');
  const insertMetric = ctx.prepare('INSERT INTO metrics (stage_run_id, name, value, step, tags_json) VALUES (?, ?, ?, ?, ?)');
  const insertTag = ctx.prepare('INSERT INTO metric_tags (metric_id, key, value) VALUES (?, ?, ?)');
  const insertParam = ctx.prepare('INSERT INTO params (stage_run_id, key, value_json) VALUES (?, ?, ?)');

  ctx.db
    .transaction(() => {
      const res = markDone.run(result.finishedAt, result.durationMs, result.exitCode, id);
      if (res.changes === 0) throw new StoreError(`commitStageRun: no stage run with id ${id}`);
      for (const a of result.artifacts) {
        insertArtifact.run(id, a.name, a.hash, a.size, a.type, ctx.paths.toStored(a.objectPath));
      }
      for (const m of result.metrics) {
        if (typeof m.value !== 'number') {
          throw new StoreError(`commitStageRun: metric ${m.name} has a non-numeric value ${String(m.value)}`);
        }
        const tags = m.tags ?? {};
        const sortedTags = Object.fromEntries(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
        const mres = insertMetric.run(id, m.name, Number.isNaN(m.value) ? null : m.value, m.step ?? null, JSON.stringify(sortedTags));
        for (const [k, v] of Object.entries(sortedTags)) insertTag.run(mres.lastInsertRowid, k, String(v));
      }
      for (const [k, v] of Object.entries(result.params)) insertParam.run(id, k, JSON.stringify(v));
    })
    .immediate();
}

export function appendEvent(ctx: StoreContext, runId: number, stageRunId: number | null, type: string, payload: unknown): void {
  ctx
    .prepare('INSERT INTO events (run_id, stage_run_id, type, payload_json, at) VALUES (?, ?, ?, ?, ?)')
    .run(runId, stageRunId, type, JSON.stringify(payload ?? null), new Date().toISOString());
}
