// The metrics and artifacts views: which stage runs a filter selects (the latest successful one of each
// stage, or those of one run), with cached stage runs resolved to the stage run that recorded the results.
import { hasWildcard } from './pattern.js';
import { toStageRun, type MetricRow, type StageRunRow } from './row-mappers.js';
import { recordedArtifacts, resolveSource } from './run-queries.js';
import type { StoreContext } from './store-context.js';
import type { ArtifactRecord, MetricFilter, MetricRecord, StageRunRecord } from './store-api.js';

/** A stage run chosen for a metrics view, with the stage run whose recorded results it stands for. */
export interface ResolvedStageRun {
  stageRun: StageRunRecord;
  sourceId: number; // == stageRun.id unless stageRun is cached
}

export function selectStageRuns(ctx: StoreContext, filter: Pick<MetricFilter, 'stage' | 'runId'>): ResolvedStageRun[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.stage !== undefined) {
    where.push(hasWildcard(filter.stage) ? '(sonic_match(?, stage_id) OR sonic_match(?, base_id))' : '(stage_id = ? OR base_id = ?)');
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
  const rows = ctx.prepare(sql).all(...args) as StageRunRow[];
  return rows.map((r) => ({ stageRun: toStageRun(ctx.paths, r), sourceId: resolveSource(ctx, r.id) }));
}

/** Artifacts of a stage run; a cached one's are those of the stage run that made them. */
export function artifactsOf(ctx: StoreContext, stageRunId: number): ArtifactRecord[] {
  return recordedArtifacts(ctx, resolveSource(ctx, stageRunId));
}

export function selectArtifacts(ctx: StoreContext, filter: Pick<MetricFilter, 'stage' | 'runId'>): (ArtifactRecord & { stageId: string; runId: number })[] {
  const out: (ArtifactRecord & { stageId: string; runId: number })[] = [];
  for (const { stageRun, sourceId } of selectStageRuns(ctx, filter)) {
    for (const a of recordedArtifacts(ctx, sourceId)) out.push({ ...a, stageId: stageRun.stageId, runId: stageRun.runId });
  }
  return out;
}

/**
 * Metrics of the selected stage runs (see MetricFilter). A record's stageId and runId are those of the
 * selected stage run (the cached one, when cached); stageRunId is the stage run that recorded the value.
 */
export function selectMetrics(ctx: StoreContext, filter: MetricFilter): MetricRecord[] {
  const selected = selectStageRuns(ctx, filter);
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
  const stmt = ctx.prepare(
    `SELECT m.id, m.stage_run_id, m.name, m.value, m.step, m.tags_json FROM metrics m
     WHERE ${where.join(' AND ')} ORDER BY m.name, m.step, m.id`,
  );
  const out: MetricRecord[] = [];
  for (const { stageRun, sourceId } of selected) {
    for (const r of stmt.all(sourceId, ...args) as MetricRow[]) {
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
