// One attempt of a stage: a fresh stage-run directory and record, the job prepared and submitted to the
// executor, then waited for and committed (job-commit.ts). Also the attempt that collects a job a killed
// runner left running for the same stage and fingerprint instead of submitting it again.
import { join } from 'node:path';
import type { JobHandle } from '../exec/executor.js';
import { jobPaths, readJobFile } from '../exec/job-files.js';
import type { PlannedStage } from '../graph/plan.js';
import { RUN_RECORD_FILE } from '../stage/run-record.js';
import { waitAndCommit } from './job-commit.js';
import type { LeftoverJob } from './reattach.js';
import type { RunContext } from './run-context.js';
import { buildRunRecord, upstreamStageIds, writeRunRecord } from './run-record.js';
import type { StageSummary } from './run-summary.js';
import { prepareJob, safeStageDirName, type PreparedJob } from './stage-job.js';
import { finishAttempt, type Submission } from './stage-outcomes.js';
import { stageThreads, threadEnv, WASM_THREADS_ENV } from './stage-threads.js';

export async function runAttempt(ctx: RunContext, p: PlannedStage, attempt: number, gpus: number[], willRetry: boolean): Promise<StageSummary> {
  const stage = p.stage;
  const dir = join(ctx.ws, 'runs', String(ctx.runId), safeStageDirName(stage.id) + (attempt > 1 ? `.attempt${attempt}` : ''));
  const startedAt = new Date();
  const logPath = join(dir, 'log.txt');
  const rec = ctx.store.insertStageRun({
    ...ctx.baseRecord(p),
    status: 'running',
    reason: p.reason,
    attempt,
    executor: ctx.executor.name,
    stageRunDir: dir,
    logPath,
    startedAt: startedAt.toISOString(),
  });
  const sub: Submission = { p, recId: rec.id, attempt, gpus, logPath, startedAt, willRetry, eventsPath: jobPaths(dir).events, outputs: {}, stageRunDir: dir };

  const threads = stageThreads({
    cores: ctx.cores,
    running: ctx.localRunning,
    resources: stage.resources,
    onCluster: ctx.allocatedElsewhere(stage.id),
    userSet: process.env[WASM_THREADS_ENV] !== undefined || stage.env[WASM_THREADS_ENV] !== undefined,
  });
  let prepared: PreparedJob;
  try {
    prepared = prepareJob({
      extraEnv: threadEnv(threads),
      stage,
      stageRunDir: dir,
      upstreamOutputs: (id) => ctx.outputs.get(id) ?? {},
      stageModules: ctx.options.stageModules ?? [],
      gpus,
      ...(ctx.options.logLimitBytes !== undefined ? { logLimitBytes: ctx.options.logLimitBytes } : {}),
      ...(readsRunRecord(ctx, p) ? { runRecord: (d: string) => writeRunRecordFor(ctx, stage.id, d) } : {}),
    });
  } catch (err) {
    return finishAttempt(ctx, sub, 'failed', { error: err instanceof Error ? err.message : String(err) });
  }
  sub.outputs = prepared.outputs;
  ctx.emit({ type: 'stage-started', t: Date.now(), stageId: stage.id, stageRunId: rec.id, attempt, logPath, gpus, ...(threads ? { threads } : {}) });

  let handle: JobHandle;
  try {
    handle = await ctx.executor.submit(prepared.spec);
  } catch (err) {
    return finishAttempt(ctx, sub, 'failed', { error: `could not start: ${err instanceof Error ? err.message : String(err)}` });
  }
  ctx.store.updateStageRun(rec.id, { jobId: handle.jobId, executor: handle.executor });
  return waitAndCommit(ctx, sub, handle);
}

/**
 * A job a killed runner submitted for this very stage and fingerprint: wait for it (it may have ended
 * meanwhile) and commit its outputs to its own stage run, instead of submitting the stage again. The new
 * run records the stage as reusing that stage run. A job whose files cannot be read is cancelled and the
 * stage runs afresh.
 */
export async function collectLeftover(ctx: RunContext, p: PlannedStage, leftover: LeftoverJob, willRetry: boolean): Promise<StageSummary> {
  const rec = leftover.record;
  const dir = leftover.handle.stageRunDir;
  const logPath = rec.logPath ?? jobPaths(dir).log;
  let outputs: Record<string, string>;
  try {
    outputs = readJobFile(jobPaths(dir).job).outputs;
  } catch (err) {
    await ctx.executor.cancel(leftover.handle).catch(() => {});
    const error = `cannot re-attach to ${leftover.handle.executor} job ${leftover.handle.jobId}: ${err instanceof Error ? err.message : String(err)}`;
    ctx.store.updateStageRun(rec.id, { status: 'interrupted', error, finishedAt: new Date().toISOString() });
    return runAttempt(ctx, p, 1, [], willRetry);
  }
  const reason = `re-attached to ${leftover.handle.executor} job ${leftover.handle.jobId} (run ${rec.runId}, ${p.reason})`;
  const sub: Submission = {
    p: { ...p, reason },
    recId: rec.id,
    attempt: rec.attempt,
    gpus: [],
    logPath,
    startedAt: rec.startedAt ? new Date(rec.startedAt) : new Date(),
    willRetry,
    eventsPath: jobPaths(dir).events,
    outputs,
    stageRunDir: dir,
  };
  ctx.emit({ type: 'stage-started', t: Date.now(), stageId: p.stage.id, stageRunId: rec.id, attempt: rec.attempt, logPath, gpus: [] });
  const result = await waitAndCommit(ctx, sub, leftover.handle);
  if (result.status === 'succeeded') {
    const now = new Date().toISOString();
    ctx.store.insertStageRun({
      ...ctx.baseRecord(p),
      status: 'cached',
      reason,
      reusedFrom: rec.id,
      attempt: rec.attempt,
      executor: leftover.handle.executor,
      jobId: leftover.handle.jobId,
      stageRunDir: dir,
      logPath,
      startedAt: now,
      finishedAt: now,
      durationMs: 0,
    });
  }
  return result;
}

function readsRunRecord(ctx: RunContext, p: PlannedStage): boolean {
  return p.stage.uses !== undefined && ctx.options.catalog?.get(p.stage.uses)?.readsRunRecord === true;
}

function writeRunRecordFor(ctx: RunContext, stageId: string, stageRunDir: string): string {
  const upstream = upstreamStageIds(ctx.pipeline.stages, stageId).flatMap((id) => ctx.results.get(id) ?? []);
  const path = join(stageRunDir, RUN_RECORD_FILE);
  writeRunRecord(path, buildRunRecord(ctx.store, ctx.runId, upstream));
  return path;
}
