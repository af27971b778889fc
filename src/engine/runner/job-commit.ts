// Waiting for a submitted (or re-attached) job, then committing what it made: inputs checked again, outputs
// moved into the object store and recorded with the metrics in one transaction, then published. A commit
// that fails leaves no object behind that no row refers to.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Executor, JobHandle, JobStatus } from '../exec/executor.js';
import { readStageEvents, StageEventTail, jobPaths } from '../exec/job-files.js';
import { treeSize, type StoredObject } from '../store/object-store.js';
import type { NewArtifact } from '../store/store-api.js';
import { commitFailureMessage, isDiskFull, removeOrphanedObjects } from './commit-failure.js';
import { inputsChangedDuringRun, inputsChangedMessage } from './input-recheck.js';
import { publishStageOutputs } from './publish.js';
import type { RunContext } from './run-context.js';
import type { StageSummary } from './run-summary.js';
import { pumpStageEvents } from './stage-events.js';
import { finishAttempt, type Submission } from './stage-outcomes.js';

const EVENT_POLL_MS = 250;

type StoredOutput = StoredObject & { created: boolean };

export async function waitAndCommit(ctx: RunContext, sub: Submission, handle: JobHandle): Promise<StageSummary> {
  const status = await waitWithEvents(ctx, sub, handle);
  if (status.state !== 'succeeded') {
    const interrupted = status.state === 'interrupted' || status.state === 'cancelled' || (ctx.aborted && status.state !== 'failed');
    return finishAttempt(ctx, sub, interrupted ? 'interrupted' : 'failed', { error: status.message ?? `stage ${status.state}`, exitCode: status.exitCode ?? null });
  }
  return commit(ctx, sub, status.exitCode ?? 0);
}

/** Waits for the job, relaying the events its worker writes meanwhile. */
async function waitWithEvents(ctx: RunContext, sub: Submission, handle: JobHandle): Promise<JobStatus> {
  const stageId = sub.p.stage.id;
  ctx.running.set(stageId, handle);
  if (ctx.aborted) void ctx.executor.cancel(handle);
  const tail = new StageEventTail(sub.eventsPath);
  const pump = () => pumpStageEvents(tail, stageId, (e) => ctx.emit(e));
  const timer = setInterval(pump, EVENT_POLL_MS);
  let status: JobStatus;
  try {
    status = await waitForJob(ctx.executor, handle);
  } finally {
    clearInterval(timer);
    ctx.running.delete(stageId);
  }
  pump();
  return status;
}

async function commit(ctx: RunContext, sub: Submission, exitCode: number): Promise<StageSummary> {
  const { p, recId } = sub;
  const stage = p.stage;
  const ingested: StoredOutput[] = [];
  try {
    const changed = await inputsChangedDuringRun(stage, p.fingerprint.struct, ctx.freshHasher());
    if (changed.length > 0) return finishAttempt(ctx, sub, 'failed', { error: inputsChangedMessage(changed), exitCode });
    const artifacts = await ingestOutputs(ctx, stage.id, sub.outputs, ingested);
    const metrics = readStageEvents(sub.eventsPath)
      .filter((e) => e.type === 'metric')
      .map((e) => ({ name: e.name, value: e.value, step: e.step ?? null, tags: { ...stage.tags, ...(e.tags ?? {}) } }));
    ctx.store.commitStageRun(recId, {
      artifacts,
      metrics,
      params: stage.with,
      finishedAt: new Date().toISOString(),
      durationMs: Date.now() - sub.startedAt.getTime(),
      exitCode,
    });
    ctx.pending.release(ingested.map((o) => o.hash));
    ingested.length = 0;
    const outputs = ctx.rememberOutputs(stage.id, artifacts);
    try {
      await publishStageOutputs(p, artifacts, (m) => ctx.notice(m));
    } catch (err) {
      const error = `publish failed: ${err instanceof Error ? err.message : String(err)}`;
      ctx.store.updateStageRun(recId, { status: 'failed', error });
      return finishAttempt(ctx, sub, 'failed', { error, exitCode });
    }
    await rm(jobPaths(sub.stageRunDir).work, { recursive: true, force: true }).catch(() => {});
    return finishAttempt(ctx, sub, 'succeeded', { exitCode, outputs });
  } catch (err) {
    // nothing of this attempt is recorded: the objects it moved into the store go again, first
    ctx.pending.release(ingested.map((o) => o.hash));
    const created = ingested.filter((o) => o.created);
    await removeOrphanedObjects(ctx.objects, created, (h) => ctx.pending.isHeld(h) || ctx.store.hashReferenced(h)).catch(() => 0);
    const bytes = ingested.reduce((n, o) => n + o.size, 0) || (await treeSize(jobPaths(sub.stageRunDir).out).catch(() => 0));
    const error = ingested.length > 0 || isDiskFull(err) ? commitFailureMessage(err, ctx.ws, bytes) : err instanceof Error ? err.message : String(err);
    return finishAttempt(ctx, sub, 'failed', { error, exitCode });
  }
}

/** Every declared output must exist; only then are they moved into the object store. */
async function ingestOutputs(ctx: RunContext, stageId: string, outputPaths: Record<string, string>, ingested: StoredOutput[]): Promise<NewArtifact[]> {
  const missing = Object.entries(outputPaths).filter(([, path]) => !existsSync(path));
  if (missing.length > 0) {
    throw new Error(`declared output${missing.length > 1 ? 's' : ''} not written by ${stageId}: ${missing.map(([n, path]) => `${n} (${path})`).join(', ')}`);
  }
  const artifacts: NewArtifact[] = [];
  for (const [name, path] of Object.entries(outputPaths)) {
    const o = await ctx.objects.ingest(path);
    ctx.pending.hold(o.hash);
    ingested.push(o);
    artifacts.push({ name, hash: o.hash, size: o.size, type: o.type, objectPath: o.objectPath });
  }
  return artifacts;
}

async function waitForJob(executor: Executor, handle: JobHandle): Promise<JobStatus> {
  if (executor.wait) return executor.wait(handle);
  for (;;) {
    const s = await executor.poll(handle);
    if (s.state !== 'queued' && s.state !== 'running') return s;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
