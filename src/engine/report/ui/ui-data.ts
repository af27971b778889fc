// What the UI pages read from the run store: plain read-only lookups over the store's public methods.
import type { SqliteRunStore } from '../../store/run-store.js';
import type { MetricRecord, RunRecord, StageRunRecord } from '../../store/store-api.js';

export interface RunOverview {
  run: RunRecord;
  durationMs: number | null;
  counts: { ran: number; cached: number; failed: number; skipped: number; total: number };
}

function durationOf(run: RunRecord): number | null {
  return run.finishedAt === null ? null : Date.parse(run.finishedAt) - Date.parse(run.startedAt);
}

export function overview(store: SqliteRunStore, run: RunRecord): RunOverview {
  const stages = store.stageRunsOf(run.id);
  const count = (...statuses: string[]) => stages.filter((s) => statuses.includes(s.status)).length;
  return {
    run,
    durationMs: durationOf(run),
    counts: {
      ran: count('succeeded'),
      cached: count('cached'),
      failed: count('failed', 'interrupted'),
      skipped: count('skipped'),
      total: new Set(stages.map((s) => s.stageId)).size,
    },
  };
}

export function runOverviews(store: SqliteRunStore, limit: number): RunOverview[] {
  return store.runs(limit).map((r) => overview(store, r));
}

/** The latest attempt of every stage of a run, in the order the runner recorded them. */
export function latestAttempts(stageRuns: readonly StageRunRecord[]): StageRunRecord[] {
  const latest = new Map<string, StageRunRecord>();
  for (const s of stageRuns) {
    const prev = latest.get(s.stageId);
    if (prev === undefined || prev.id < s.id) latest.set(s.stageId, s);
  }
  return [...latest.values()].sort((a, b) => a.id - b.id);
}

/** The metrics recorded by exactly one stage run (the source of a cached one). */
export function metricsOfStageRun(store: SqliteRunStore, stageRun: StageRunRecord): MetricRecord[] {
  const source = store.resolveSource(stageRun.id);
  return store
    .query('SELECT id, name, value, step, tags_json FROM metrics WHERE stage_run_id = ? ORDER BY name, step, id', [source])
    .map((r) => ({
      id: Number(r.id),
      stageRunId: source,
      stageId: stageRun.stageId,
      runId: stageRun.runId,
      name: String(r.name),
      value: r.value === null ? Number.NaN : Number(r.value),
      step: r.step === null ? null : Number(r.step),
      tags: JSON.parse(String(r.tags_json)) as Record<string, string>,
    }));
}

export interface FingerprintView {
  params: unknown;
  outputs: Record<string, string>; // declared output paths (file names carry the extension)
  /** Fingerprint v2: content hashes of the consumed outputs; v1: the producing stage and output. */
  upstream: Record<string, (string | { stage: string; output: string })[]>;
  uses?: string;
  stageVersion?: string;
  argv?: string[];
}

export function fingerprintOf(stageRun: StageRunRecord): FingerprintView {
  try {
    const fp = JSON.parse(stageRun.fingerprintJson) as Partial<FingerprintView>;
    return { params: fp.params ?? {}, outputs: fp.outputs ?? {}, upstream: fp.upstream ?? {}, ...(fp.uses ? { uses: fp.uses } : {}), ...(fp.stageVersion ? { stageVersion: fp.stageVersion } : {}), ...(fp.argv ? { argv: fp.argv } : {}) };
  } catch {
    return { params: {}, outputs: {}, upstream: {} };
  }
}
