// The entry point: plan, lock, recover what a dead runner left, re-attach to its jobs, then execute the run
// (run-execution.ts). A dry run only plans.
import { existsSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import type { Pipeline } from '../config/pipeline-model.js';
import type { RunStore } from '../store/store-api.js';
import { DB_FILE_NAME, openRunStore } from '../store/run-store.js';
import { hashPath } from '../store/object-store.js';
import { openWorkspace } from '../store/workspace.js';
import { planPipeline, type PlannedStage, type PlanStore } from '../graph/plan.js';
import { PipelineGraphError } from '../graph/dag.js';
import { UnknownTargetError } from '../graph/targets.js';
import { MissingInputError, statCachedHasher, type StatCache } from '../fingerprint/input-hasher.js';
import type { Executor } from '../exec/executor.js';
import { LocalExecutor } from '../exec/local-executor.js';
import { ResourcePool } from '../exec/resource-pool.js';
import { detectGpus } from '../exec/detect-gpus.js';
import { RunEventBus } from '../events/run-events.js';
import { acquireWorkspaceLock } from './workspace-lock.js';
import { recoverDeadRuns } from './recover.js';
import { cancelLeftovers, cancelUnreachableJobs, findReattachable, matchReattachable, type LeftoverJob } from './reattach.js';
import { RunContext } from './run-context.js';
import { executeRun } from './run-execution.js';
import { defaultNotice, RunUsageError, type RunPipelineOptions } from './run-options.js';
import { emptyCounts, type RunSummary } from './run-summary.js';
import { stagePlannedEvent } from './stage-events.js';

export { RunUsageError, type RunPipelineOptions } from './run-options.js';

const plural = (n: number, word: string) => `${word}${n > 1 ? 's' : ''}`;
const jobList = (ls: LeftoverJob[]) => ls.map((l) => `${l.record.stageId} (${l.handle.executor} job ${l.handle.jobId})`).join(', ');

export async function runPipeline(pipeline: Pipeline, options: RunPipelineOptions): Promise<RunSummary> {
  const ws = resolve(options.workspace);
  if (options.dryRun) return dryRun(pipeline, ws, options);
  const notice = options.notice ?? defaultNotice;
  const lock = await acquireWorkspaceLock(ws, { wait: options.waitForLock ?? false, notice, ...(options.signal ? { signal: options.signal } : {}) });
  try {
    const store: RunStore = openRunStore(ws);
    const executor = options.executor ?? new LocalExecutor({ ...(options.killGraceMs !== undefined ? { killGraceMs: options.killGraceMs } : {}) });
    try {
      const leftovers = findReattachable(store, executor);
      const kept = new Set(leftovers.map((l) => l.record.id));
      const unreachable = await cancelUnreachableJobs(store, options.otherExecutors ?? [], kept);
      if (unreachable.length > 0) notice(`sonic: cancelled ${plural(unreachable.length, 'job')} a previous runner left on another executor, which this run's executor cannot re-attach to: ${unreachable.join(', ')}`);
      const recovered = recoverDeadRuns(store, { keep: (sr) => kept.has(sr.id) });
      if (recovered.interruptedStageRuns.length > 0) {
        const killed = recovered.killedOrphans.length ? `; stopped its orphaned stage ${plural(recovered.killedOrphans.length, 'process')} ${recovered.killedOrphans.join(', ')}` : '';
        notice(`sonic: a previous runner died; marked interrupted: ${recovered.interruptedStageRuns.join(', ')}${killed}`);
      }
      let plan: PlannedStage[];
      try {
        plan = await makePlan(pipeline, options, store, store);
      } catch (err) {
        await cancelLeftovers(store, executor, leftovers, 'the new run could not be planned');
        throw err;
      }
      const { reattach, obsolete } = matchReattachable(leftovers, plan);
      await cancelLeftovers(store, executor, obsolete, 'its stage is not planned to run with the same fingerprint any more');
      if (reattach.size > 0) notice(`sonic: re-attaching to ${plural(reattach.size, 'job')} a previous runner left running: ${jobList([...reattach.values()])}`);
      if (obsolete.length > 0) notice(`sonic: cancelled ${plural(obsolete.length, 'job')} a previous runner left whose stage changed or is not planned: ${jobList(obsolete)}`);
      const ctx = new RunContext(pipeline, ws, store, openWorkspace(ws).objects, options, executor);
      return await executeRun(ctx, plan, budgetPool(options, plan, executor), reattach);
    } finally {
      store.close();
    }
  } finally {
    lock.release();
  }
}

function usageErrorFrom(err: unknown): never {
  if (err instanceof PipelineGraphError || err instanceof UnknownTargetError || err instanceof RunUsageError) {
    throw new RunUsageError(err.message);
  }
  throw err;
}

async function makePlan(pipeline: Pipeline, options: RunPipelineOptions, planStore: PlanStore, statCache: StatCache): Promise<PlannedStage[]> {
  const hasher = statCachedHasher(statCache, (path) => hashPath(path, { cache: statCache }));
  try {
    const plan = await planPipeline(pipeline, {
      targets: options.targets ?? [],
      force: options.force ?? [],
      ...(options.catalog ? { catalog: options.catalog } : {}),
      store: planStore,
      hasher,
    });
    return plan.stages;
  } catch (err) {
    if (err instanceof MissingInputError) throw new RunUsageError(err.message);
    return usageErrorFrom(err);
  }
}

/** The local resource budget; a stage planned to run that could never fit it is a usage error. */
function budgetPool(options: RunPipelineOptions, plan: PlannedStage[], executor?: Executor): ResourcePool {
  plan = plan.filter((p) => executor?.allocatesResources?.(p.stage.id) !== true);
  const needsGpu = plan.some((p) => p.decision === 'run' && p.stage.resources.gpu > 0);
  const gpus = options.gpus ?? (needsGpu ? detectGpus() : []);
  const pool = new ResourcePool({
    cpus: options.cpus ?? availableParallelism(),
    memoryMB: options.memoryMB ?? Math.floor(totalmem() / (1024 * 1024)),
    gpus,
  });
  const problems = plan
    .filter((p) => p.decision === 'run')
    .map((p) => [p.stage, pool.exceeds(p.stage.resources)] as const)
    .filter(([, why]) => why !== undefined)
    .map(([s, why]) => `stage ${s.id} (${s.pos.file}:${s.pos.line}) asks for more than the budget: ${why}`);
  if (problems.length > 0) throw new RunUsageError(problems.join('\n'));
  return pool;
}

const EMPTY_STORE: PlanStore & StatCache = {
  findSucceededByFingerprint: () => undefined,
  lastSucceeded: () => undefined,
  artifactsOf: () => [],
  cachedFileHash: () => undefined,
  rememberFileHash: () => {},
};

async function dryRun(pipeline: Pipeline, ws: string, options: RunPipelineOptions): Promise<RunSummary> {
  const started = Date.now();
  const store: RunStore | undefined = existsSync(join(ws, DB_FILE_NAME)) ? openRunStore(ws, { readonly: true }) : undefined;
  try {
    const statCache: StatCache = store ? { cachedFileHash: (...a) => store.cachedFileHash(...a), rememberFileHash: () => {} } : EMPTY_STORE;
    const plan = await makePlan(pipeline, options, store ?? EMPTY_STORE, statCache);
    if (options.checkResources !== false) budgetPool(options, plan, options.executor);
    const bus = new RunEventBus();
    if (options.onEvent) bus.subscribe(options.onEvent);
    for (const p of plan) bus.emit(stagePlannedEvent(p));
    return { runId: null, status: 'succeeded', exitCode: 0, dryRun: true, durationMs: Date.now() - started, plan, stages: [], counts: emptyCounts() };
  } finally {
    store?.close();
  }
}
