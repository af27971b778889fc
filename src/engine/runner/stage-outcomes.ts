// How a stage's handling ends without a job to commit: cached (outputs reused, published again), skipped
// (an upstream stage failed, or the run stopped), or one attempt finished as failed / interrupted /
// succeeded. Each records the stage run and emits its `stage-finished` event.
import type { StageOutcome } from '../events/run-events.js';
import type { PlannedStage } from '../graph/plan.js';
import type { StageRunRecord } from '../store/store-api.js';
import { publishStageOutputs } from './publish.js';
import type { RunContext } from './run-context.js';
import type { StageSummary } from './run-summary.js';
import { stageFinishedEvent } from './stage-events.js';

/** One submitted (or re-attached) job: what waiting for it and committing its outputs needs. */
export interface Submission {
  p: PlannedStage;
  recId: number;
  attempt: number;
  gpus: number[];
  logPath: string;
  startedAt: Date;
  willRetry: boolean;
  eventsPath: string;
  outputs: Record<string, string>; // output name -> path the job writes
  stageRunDir: string;
}

export interface AttemptEnd {
  error?: string;
  exitCode?: number | null;
  outputs?: Record<string, string>;
}

/** Ends an attempt: records a failure (a success is committed already), emits stage-finished, returns the summary. */
export function finishAttempt(ctx: RunContext, sub: Submission, status: StageOutcome, end: AttemptEnd = {}): StageSummary {
  const { p, recId, attempt, gpus, logPath } = sub;
  const durationMs = Date.now() - sub.startedAt.getTime();
  let error = end.error;
  if (status !== 'succeeded') {
    try {
      ctx.store.updateStageRun(recId, { status, error: error ?? null, exitCode: end.exitCode ?? null, finishedAt: new Date().toISOString(), durationMs });
    } catch (err) {
      // e.g. the disk is still full: the next runner marks the stage run interrupted (recover.ts)
      error = `${error ?? status}; the failure could not be recorded: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  const summary: StageSummary = {
    stageId: p.stage.id,
    status,
    reason: p.reason,
    stageRunId: recId,
    attempt,
    logPath,
    durationMs,
    gpus,
    ...(error ? { error } : {}),
    ...(end.outputs ? { outputs: end.outputs } : {}),
  };
  ctx.emit(stageFinishedEvent(summary, status === 'failed' && sub.willRetry && !ctx.aborted));
  return summary;
}

/** A stage that is not run: recorded as skipped with the reason. */
export function skipStage(ctx: RunContext, p: PlannedStage, reason: string): StageSummary {
  const rec = ctx.store.insertStageRun({ ...ctx.baseRecord(p), status: 'skipped', reason });
  const s: StageSummary = { stageId: p.stage.id, status: 'skipped', reason, stageRunId: rec.id, attempt: 1, logPath: null, durationMs: null };
  ctx.results.set(p.stage.id, s);
  ctx.emit(stageFinishedEvent(s));
  return s;
}

/** An engine error (store, filesystem) while handling a stage: the stage fails, the others go on. */
export function internalErrorSummary(ctx: RunContext, p: PlannedStage, attempt: number, err: unknown): StageSummary {
  const error = `internal error: ${err instanceof Error ? err.message : String(err)}`;
  const s: StageSummary = { stageId: p.stage.id, status: 'failed', reason: p.reason, stageRunId: null, attempt, logPath: null, durationMs: null, error };
  ctx.emit(stageFinishedEvent(s));
  return s;
}

/** Cached stages: one transaction for all their rows, then publish restores. */
export async function recordCached(ctx: RunContext, cached: PlannedStage[]): Promise<void> {
  if (cached.length === 0) return;
  const now = new Date().toISOString();
  const records: StageRunRecord[] = ctx.store.transaction(() =>
    cached.map((p) =>
      ctx.store.insertStageRun({
        ...ctx.baseRecord(p),
        status: 'cached',
        reason: p.reason,
        reusedFrom: p.reusedFrom!.id,
        logPath: p.reusedFrom!.logPath,
        startedAt: now,
        finishedAt: now,
        durationMs: 0,
      }),
    ),
  );
  for (const [i, p] of cached.entries()) {
    const rec = records[i]!;
    const outputs = ctx.rememberOutputs(p.stage.id, p.reusedArtifacts ?? []);
    let error: string | undefined;
    try {
      await publishStageOutputs(p, p.reusedArtifacts ?? [], (m) => ctx.notice(m));
    } catch (err) {
      error = `publish failed: ${err instanceof Error ? err.message : String(err)}`;
    }
    const summary: StageSummary = {
      stageId: p.stage.id,
      status: 'cached',
      reason: p.reason,
      stageRunId: rec.id,
      attempt: 1,
      logPath: rec.logPath,
      durationMs: null,
      reusedFrom: p.reusedFrom!.id,
      outputs,
      ...(error ? { error } : {}),
    };
    ctx.results.set(p.stage.id, summary);
    ctx.emit(stageFinishedEvent(summary));
  }
}
