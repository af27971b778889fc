// Reads of runs, stage runs, their params and events, and the cache lookups the planner makes.
import type { Params } from '../config/pipeline-model.js';
import { StoreError } from './errors.js';
import { toArtifact, toRun, toStageRun, type ArtifactRow, type RunRow, type StageRunRow } from './row-mappers.js';
import type { StoreContext } from './store-context.js';
import type { ArtifactRecord, RunRecord, StageRunRecord } from './store-api.js';

/** Longest chain of cached -> cached -> … -> source that is followed (guards against a corrupt cycle). */
const MAX_REUSE_DEPTH = 64;

export interface StoredEvent {
  id: number;
  stageRunId: number | null;
  type: string;
  payload: unknown;
  at: string;
}

export function runById(ctx: StoreContext, runId: number): RunRecord | undefined {
  const row = ctx.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as RunRow | undefined;
  return row === undefined ? undefined : toRun(row);
}

export function latestRuns(ctx: StoreContext, limit?: number): RunRecord[] {
  const rows = limit === undefined ? ctx.prepare('SELECT * FROM runs ORDER BY id DESC').all() : ctx.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT ?').all(limit);
  return (rows as RunRow[]).map(toRun);
}

export function runningRuns(ctx: StoreContext): RunRecord[] {
  return (ctx.prepare(`SELECT * FROM runs WHERE status = 'running' ORDER BY id`).all() as RunRow[]).map(toRun);
}

export function stageRunById(ctx: StoreContext, id: number): StageRunRecord | undefined {
  const row = ctx.prepare('SELECT * FROM stage_runs WHERE id = ?').get(id) as StageRunRow | undefined;
  return row === undefined ? undefined : toStageRun(ctx.paths, row);
}

export function stageRunsOf(ctx: StoreContext, runId: number): StageRunRecord[] {
  return stageRuns(ctx, 'SELECT * FROM stage_runs WHERE run_id = ? ORDER BY id', runId);
}

export function findSucceededByFingerprint(ctx: StoreContext, fingerprint: string): StageRunRecord | undefined {
  return stageRuns(ctx, `SELECT * FROM stage_runs WHERE fingerprint = ? AND status = 'succeeded' ORDER BY id DESC LIMIT 1`, fingerprint)[0];
}

export function lastSucceeded(ctx: StoreContext, stageId: string): StageRunRecord | undefined {
  return stageRuns(ctx, `SELECT * FROM stage_runs WHERE stage_id = ? AND status = 'succeeded' ORDER BY id DESC LIMIT 1`, stageId)[0];
}

export function danglingStageRuns(ctx: StoreContext): StageRunRecord[] {
  return stageRuns(ctx, `SELECT * FROM stage_runs WHERE status = 'running' ORDER BY id`);
}

/** Follows reusedFrom from a cached stage run to the stage run that produced the results. */
export function resolveSource(ctx: StoreContext, stageRunId: number): number {
  const get = ctx.prepare('SELECT status, reused_from FROM stage_runs WHERE id = ?');
  let id = stageRunId;
  for (let depth = 0; depth <= MAX_REUSE_DEPTH; depth++) {
    const row = get.get(id) as { status: string; reused_from: number | null } | undefined;
    if (row === undefined) throw new StoreError(`no stage run with id ${id}`);
    if (row.status !== 'cached' || row.reused_from === null) return id;
    id = row.reused_from;
  }
  throw new StoreError(`stage run ${stageRunId}: reusedFrom chain longer than ${MAX_REUSE_DEPTH} (a cycle?)`);
}

/** The artifacts a stage run recorded itself (no resolution of cached runs). */
export function recordedArtifacts(ctx: StoreContext, stageRunId: number): ArtifactRecord[] {
  const rows = ctx.prepare('SELECT * FROM artifacts WHERE stage_run_id = ? ORDER BY name').all(stageRunId) as ArtifactRow[];
  return rows.map((r) => toArtifact(ctx.paths, r));
}

export function paramsOf(ctx: StoreContext, stageRunId: number): Params {
  const rows = ctx
    .prepare('SELECT key, value_json FROM params WHERE stage_run_id = ? ORDER BY key')
    .all(resolveSource(ctx, stageRunId)) as { key: string; value_json: string }[];
  return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value_json)])) as Params;
}

export function hashReferenced(ctx: StoreContext, hash: string): boolean {
  return ctx.prepare('SELECT 1 FROM artifacts WHERE hash = ? LIMIT 1').get(hash) !== undefined;
}

export function referencedHashes(ctx: StoreContext): Set<string> {
  const rows = ctx.prepare('SELECT DISTINCT hash FROM artifacts').all() as { hash: string }[];
  return new Set(rows.map((r) => r.hash));
}

export function eventsOf(ctx: StoreContext, runId: number): StoredEvent[] {
  const rows = ctx
    .prepare('SELECT id, stage_run_id, type, payload_json, at FROM events WHERE run_id = ? ORDER BY id')
    .all(runId) as { id: number; stage_run_id: number | null; type: string; payload_json: string; at: string }[];
  return rows.map((r) => ({ id: r.id, stageRunId: r.stage_run_id, type: r.type, payload: JSON.parse(r.payload_json) as unknown, at: r.at }));
}

function stageRuns(ctx: StoreContext, sql: string, ...args: unknown[]): StageRunRecord[] {
  return (ctx.prepare(sql).all(...args) as StageRunRow[]).map((r) => toStageRun(ctx.paths, r));
}
