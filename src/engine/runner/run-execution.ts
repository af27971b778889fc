// One recorded run from its plan: the run row and event subscribers, cached stages recorded, the rest
// scheduled (scheduler.ts) and executed (stage-execution.ts), and on the way out running jobs cancelled,
// uncollected leftover jobs cancelled and the run closed.
import { availableParallelism, hostname } from 'node:os';
import type { ResourcePool } from '../exec/resource-pool.js';
import { terminalProgress } from '../events/terminal-progress.js';
import { logFileSubscriber } from '../events/log-file-subscriber.js';
import { storeSubscriber } from '../events/store-subscriber.js';
import type { PlannedStage } from '../graph/plan.js';
import { cancelLeftovers, type LeftoverJob } from './reattach.js';
import type { RunContext } from './run-context.js';
import { emptyCounts, type RunSummary, type StageSummary } from './run-summary.js';
import { scheduleStages } from './scheduler.js';
import { stagePlannedEvent } from './stage-events.js';
import { decideAfterUpstream, executeStage, type ExecutionState } from './stage-execution.js';
import { recordCached, skipStage } from './stage-outcomes.js';

export async function executeRun(ctx: RunContext, plan: PlannedStage[], pool: ResourcePool, leftovers: Map<string, LeftoverJob>): Promise<RunSummary> {
  const { options, store, executor } = ctx;
  const started = Date.now();
  const run = store.beginRun({
    pipelineName: ctx.pipeline.name,
    pipelineFile: ctx.pipeline.file,
    argv: options.argv ?? [],
    targets: options.targets ?? [],
    host: hostname(),
    pid: process.pid,
  });
  ctx.runId = run.id;
  const progress = terminalProgress(options.progress ?? 'none', options.progressStream ?? process.stderr);
  ctx.bus.subscribe(progress.listener);
  ctx.bus.subscribe(logFileSubscriber());
  ctx.bus.subscribe(storeSubscriber(store, run.id));
  if (options.onEvent) ctx.bus.subscribe(options.onEvent);

  const onAbort = () => ctx.abortAll('interrupted');
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort);
  let status: RunSummary['status'] = 'failed';
  try {
    ctx.emit({ type: 'run-started', t: Date.now(), runId: run.id, pipeline: ctx.pipeline.name, workspace: ctx.ws, stageCount: plan.length, dryRun: false });
    for (const p of plan) ctx.emit(stagePlannedEvent(p));
    await recordCached(ctx, plan.filter((p) => p.decision === 'cached' && !p.tentativeOn?.length));
    await schedule(ctx, { ctx, pool, plan, leftovers, hasher: ctx.freshHasher() });
    const stages = plan.map((p) => ctx.results.get(p.stage.id)!);
    status = ctx.abortReason === 'interrupted' ? 'interrupted' : stages.some((s) => s.status !== 'succeeded' && s.status !== 'cached') ? 'failed' : 'succeeded';
    return summary(run.id, status, plan, stages, started);
  } finally {
    for (const handle of ctx.running.values()) await executor.cancel(handle).catch(() => {});
    // leftover jobs this run never got to (an upstream failed, the run was interrupted): cancel them
    await cancelLeftovers(store, executor, [...leftovers.values()], 'the run that re-attached to it did not collect it');
    leftovers.clear();
    options.signal?.removeEventListener('abort', onAbort);
    try {
      store.finishRun(run.id, status);
    } catch (err) {
      ctx.notice(`sonic: could not record the end of run ${run.id} (${err instanceof Error ? err.message : String(err)}); the next run marks it interrupted`);
    }
    const counts = emptyCounts();
    for (const s of ctx.results.values()) counts[s.status] += 1;
    ctx.emit({ type: 'run-finished', t: Date.now(), runId: run.id, status, durationMs: Date.now() - started, counts });
    progress.stop();
    await executor.close?.();
  }
}

function schedule(ctx: RunContext, state: ExecutionState): Promise<StageSummary[]> {
  const { jobs, cpus } = ctx.options;
  return scheduleStages(state.plan, {
    localConcurrency: jobs ?? cpus ?? availableParallelism(),
    // jobs whose resources the cluster allocates: not capped by local cores, only by an explicit --jobs
    clusterConcurrency: jobs !== undefined ? Math.max(1, jobs) : Infinity,
    onCluster: (p) => ctx.allocatedElsewhere(p.stage.id),
    finished: (id) => ctx.results.get(id),
    stopped: () => ctx.aborted,
    stoppedReason: () => ctx.notStartedReason(),
    skip: (p, reason) => skipStage(ctx, p, reason),
    start: (p) => (p.tentativeOn?.length ? decideAfterUpstream(state, p) : executeStage(state, p)),
  });
}

function summary(runId: number, status: RunSummary['status'], plan: PlannedStage[], stages: StageSummary[], started: number): RunSummary {
  const counts = emptyCounts();
  for (const s of stages) counts[s.status] += 1;
  const exitCode = status === 'succeeded' ? 0 : status === 'interrupted' ? 130 : 1;
  return { runId, status, exitCode, dryRun: false, durationMs: Date.now() - started, plan, stages, counts };
}
