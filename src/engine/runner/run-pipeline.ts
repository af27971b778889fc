// The orchestrator: plan, lock, record, schedule under resource budgets, execute, commit, publish.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { availableParallelism, hostname, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import PQueue from 'p-queue';
import type { Pipeline } from '../config/pipeline-model.js';
import { displayPath } from '../config/diagnostics.js';
import type { StageCatalog } from '../stage/stage-definition.js';
import type { ArtifactRecord, NewArtifact, StageRunRecord } from '../store/store-api.js';
import { DB_FILE_NAME, openRunStore, type SqliteRunStore } from '../store/run-store.js';
import { hashPath, treeSize, type ObjectStore, type StoredObject } from '../store/object-store.js';
import { openWorkspace } from '../store/workspace.js';
import { decideStage, planPipeline, type PlannedStage, type PlanStore } from '../graph/plan.js';
import { computeFingerprint } from '../fingerprint/compute-fingerprint.js';
import { PipelineGraphError } from '../graph/dag.js';
import { UnknownTargetError } from '../graph/targets.js';
import { MissingInputError, statCachedHasher, type InputHasher, type StatCache } from '../fingerprint/input-hasher.js';
import type { Executor, JobHandle, JobStatus } from '../exec/executor.js';
import { LocalExecutor } from '../exec/local-executor.js';
import { ResourcePool } from '../exec/resource-pool.js';
import { detectGpus } from '../exec/detect-gpus.js';
import { jobPaths, readJobFile, readStageEvents, StageEventTail } from '../exec/job-files.js';
import { RunEventBus, type RunEvent, type RunEventListener, type StageOutcome } from '../events/run-events.js';
import { terminalProgress, type ProgressMode } from '../events/terminal-progress.js';
import { logFileSubscriber } from '../events/log-file-subscriber.js';
import { storeSubscriber } from '../events/store-subscriber.js';
import { acquireWorkspaceLock } from './workspace-lock.js';
import { recoverDeadRuns } from './recover.js';
import { cancelUnreachableSlurmJobs, findReattachable, matchReattachable, type LeftoverJob } from './reattach.js';
import { prepareJob, safeStageDirName, type PreparedJob } from './stage-job.js';
import { publishOutput } from './publish.js';
import { commitFailureMessage, isDiskFull, PendingObjects, removeOrphanedObjects } from './commit-failure.js';

type StoredOutput = StoredObject & { created: boolean };
import { inputsChangedDuringRun, inputsChangedMessage } from './input-recheck.js';
import { buildRunRecord, upstreamStageIds, writeRunRecord } from './run-record.js';
import { RUN_RECORD_FILE } from '../stage/run-record.js';
import { emptyCounts, type RunSummary, type StageSummary } from './run-summary.js';

export interface RunPipelineOptions {
  workspace: string; // the .sonic directory (created when missing)
  targets?: string[]; // expanded or base ids; empty = every stage
  jobs?: number; // max stages running at once (locally: default = cpus; on a cluster executor: default unlimited)
  cpus?: number; // cpu budget; default = os.availableParallelism()
  memoryMB?: number; // memory budget; default = total memory
  gpus?: number[]; // GPU device ids; default = detected with nvidia-smi (none when absent)
  force?: string[]; // stages to rerun regardless of the cache (expanded or base ids)
  dryRun?: boolean; // plan only: no lock, nothing executed or recorded
  failFast?: boolean; // on the first failure stop scheduling and cancel running stages
  progress?: ProgressMode; // default 'none'
  progressStream?: { write(s: string): unknown };
  catalog?: StageCatalog; // built-in stage definitions (versions enter the fingerprint)
  stageModules?: string[]; // module paths/URLs the stage worker imports for `uses` stages
  signal?: AbortSignal; // abort = Ctrl-C: running stages are interrupted, the run ends 'interrupted'
  waitForLock?: boolean; // wait for another runner's workspace lock instead of failing
  argv?: string[]; // recorded with the run
  executor?: Executor; // default: LocalExecutor; an executor that can reattach collects jobs a killed runner left
  killGraceMs?: number; // SIGTERM -> SIGKILL grace on cancel (default 10 s)
  retryBaseDelayMs?: number; // first retry delay, doubled each attempt (default 1000)
  onEvent?: RunEventListener; // extra event subscriber
  notice?: (message: string) => void; // non-fatal notices (stale lock taken over, recovered runs)
  checkResources?: boolean; // dry run only: false skips the budget check (default true)
  logLimitBytes?: number; // cap on each stage's log file (default 64 MiB); output past it is discarded
}

/** A user mistake found before anything ran (unknown target, cycle, missing input, impossible resources). */
export class RunUsageError extends Error {
  override readonly name = 'RunUsageError';
}

const EVENT_POLL_MS = 250;

function usageErrorFrom(err: unknown): never {
  if (err instanceof PipelineGraphError || err instanceof UnknownTargetError || err instanceof RunUsageError) {
    throw new RunUsageError(err.message);
  }
  throw err;
}

export async function runPipeline(pipeline: Pipeline, options: RunPipelineOptions): Promise<RunSummary> {
  const ws = resolve(options.workspace);
  if (options.dryRun) return dryRun(pipeline, ws, options);
  const notice = options.notice ?? ((m: string) => void process.stderr.write(`${m}\n`));
  const lock = await acquireWorkspaceLock(ws, { wait: options.waitForLock ?? false, notice, ...(options.signal ? { signal: options.signal } : {}) });
  try {
    const store = openRunStore(ws);
    const executor = options.executor ?? new LocalExecutor({ ...(options.killGraceMs !== undefined ? { killGraceMs: options.killGraceMs } : {}) });
    try {
      const leftovers = findReattachable(store, executor);
      const kept = new Set(leftovers.map((l) => l.record.id));
      const unreachable = await cancelUnreachableSlurmJobs(store, kept);
      if (unreachable.length > 0) notice(`sonic: cancelled Slurm job${unreachable.length > 1 ? 's' : ''} a previous runner left, which this run's executor cannot re-attach to: ${unreachable.join(', ')}`);
      const recovered = recoverDeadRuns(store, { keep: (sr) => kept.has(sr.id) });
      if (recovered.interruptedStageRuns.length > 0) {
        const killed = recovered.killedOrphans.length ? `; stopped its orphaned stage process${recovered.killedOrphans.length > 1 ? 'es' : ''} ${recovered.killedOrphans.join(', ')}` : '';
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
      if (reattach.size > 0) {
        notice(`sonic: re-attaching to job${reattach.size > 1 ? 's' : ''} a previous runner left running: ${[...reattach.values()].map((l) => `${l.record.stageId} (${l.handle.executor} job ${l.handle.jobId})`).join(', ')}`);
      }
      if (obsolete.length > 0) {
        notice(`sonic: cancelled job${obsolete.length > 1 ? 's' : ''} a previous runner left whose stage changed or is not planned: ${obsolete.map((l) => `${l.record.stageId} (${l.handle.executor} job ${l.handle.jobId})`).join(', ')}`);
      }
      const execution = new RunExecution(pipeline, ws, store, plan, options, executor, reattach);
      return await execution.run();
    } finally {
      store.close();
    }
  } finally {
    lock.release();
  }
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

/** Marks leftover jobs interrupted after cancelling them (a job that already ended is left as it is). */
async function cancelLeftovers(store: SqliteRunStore, executor: Executor, leftovers: LeftoverJob[], why: string): Promise<void> {
  for (const l of leftovers) {
    await executor.cancel(l.handle).catch(() => {});
    store.updateStageRun(l.record.id, {
      status: 'interrupted',
      error: `the runner died while the stage was running; cancelled ${l.handle.executor} job ${l.handle.jobId}: ${why}`,
      finishedAt: new Date().toISOString(),
    });
  }
}

/** True when the executor's own scheduler (Slurm) allocates the stage's resources, not the local budget. */
function allocatedElsewhere(executor: Executor | undefined, stageId: string): boolean {
  return executor?.allocatesResources?.(stageId) === true;
}

function budgetPool(options: RunPipelineOptions, plan: PlannedStage[], executor?: Executor): ResourcePool {
  plan = plan.filter((p) => !allocatedElsewhere(executor, p.stage.id));
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
  const store = existsSync(join(ws, DB_FILE_NAME)) ? openRunStore(ws, { readonly: true }) : undefined;
  try {
    const statCache: StatCache = store
      ? { cachedFileHash: (...a) => store.cachedFileHash(...a), rememberFileHash: () => {} }
      : EMPTY_STORE;
    const plan = await makePlan(pipeline, options, store ?? EMPTY_STORE, statCache);
    if (options.checkResources !== false) budgetPool(options, plan, options.executor);
    const bus = new RunEventBus();
    if (options.onEvent) bus.subscribe(options.onEvent);
    for (const p of plan) {
      bus.emit({ type: 'stage-planned', t: Date.now(), stageId: p.stage.id, decision: p.decision, reason: p.reason, fingerprint: p.fingerprint.hash });
    }
    return { runId: null, status: 'succeeded', exitCode: 0, dryRun: true, durationMs: Date.now() - started, plan, stages: [], counts: emptyCounts() };
  } finally {
    store?.close();
  }
}

/** What waiting for, and committing, one submitted job needs. */
interface Submission {
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

class RunExecution {
  private readonly bus = new RunEventBus();
  private readonly objects: ObjectStore;
  private readonly results = new Map<string, StageSummary>();
  private readonly outputs = new Map<string, Record<string, string>>();
  private readonly running = new Map<string, JobHandle>();
  /** stage id -> output name -> content hash, for the stages that finished (ran or cached) */
  private readonly outputHashes = new Map<string, Record<string, string>>();
  private readonly hasher: InputHasher;
  private readonly pending = new PendingObjects();
  private readonly cancel = new AbortController();
  private abortReason: 'interrupted' | 'fail-fast' | undefined;
  private runId = 0;
  private pool!: ResourcePool;
  private readonly started = Date.now();

  constructor(
    private readonly pipeline: Pipeline,
    private readonly ws: string,
    private readonly store: SqliteRunStore,
    private readonly plan: PlannedStage[],
    private readonly options: RunPipelineOptions,
    private readonly executor: Executor,
    /** stage id -> a job a killed runner left running for the same fingerprint: collected, not resubmitted */
    private readonly reattach: Map<string, LeftoverJob> = new Map(),
  ) {
    this.objects = openWorkspace(ws).objects;
    this.hasher = this.freshHasher();
  }

  async run(): Promise<RunSummary> {
    this.pool = budgetPool(this.options, this.plan, this.executor);
    const run = this.store.beginRun({
      pipelineName: this.pipeline.name,
      pipelineFile: this.pipeline.file,
      argv: this.options.argv ?? [],
      targets: this.options.targets ?? [],
      host: hostname(),
      pid: process.pid,
    });
    this.runId = run.id;
    const progress = terminalProgress(this.options.progress ?? 'none', this.options.progressStream ?? process.stderr);
    this.bus.subscribe(progress.listener);
    this.bus.subscribe(logFileSubscriber());
    this.bus.subscribe(storeSubscriber(this.store, run.id));
    if (this.options.onEvent) this.bus.subscribe(this.options.onEvent);

    const onAbort = () => this.abortAll('interrupted');
    if (this.options.signal?.aborted) onAbort();
    this.options.signal?.addEventListener('abort', onAbort);
    let status: RunSummary['status'] = 'failed';
    try {
      this.emit({ type: 'run-started', t: Date.now(), runId: run.id, pipeline: this.pipeline.name, workspace: this.ws, stageCount: this.plan.length, dryRun: false });
      for (const p of this.plan) {
        this.emit({ type: 'stage-planned', t: Date.now(), stageId: p.stage.id, decision: p.decision, reason: p.reason, fingerprint: p.fingerprint.hash });
      }
      await this.recordCached(this.plan.filter((p) => p.decision === 'cached' && !p.tentativeOn?.length));
      await this.schedule();
      const stages = this.plan.map((p) => this.results.get(p.stage.id)!);
      status = this.abortReason === 'interrupted' ? 'interrupted' : stages.some((s) => s.status !== 'succeeded' && s.status !== 'cached') ? 'failed' : 'succeeded';
      return this.summary(status, stages);
    } finally {
      for (const handle of this.running.values()) await this.executor.cancel(handle).catch(() => {});
      // leftover jobs this run never got to (an upstream failed, the run was interrupted): cancel them
      await cancelLeftovers(this.store, this.executor, [...this.reattach.values()], 'the run that re-attached to it did not collect it');
      this.reattach.clear();
      this.options.signal?.removeEventListener('abort', onAbort);
      try {
        this.store.finishRun(run.id, status);
      } catch (err) {
        this.notice(`sonic: could not record the end of run ${run.id} (${err instanceof Error ? err.message : String(err)}); the next run marks it interrupted`);
      }
      const counts = emptyCounts();
      for (const s of this.results.values()) counts[s.status] += 1;
      this.emit({ type: 'run-finished', t: Date.now(), runId: run.id, status, durationMs: Date.now() - this.started, counts });
      progress.stop();
      await this.executor.close?.();
    }
  }

  private summary(status: RunSummary['status'], stages: StageSummary[]): RunSummary {
    const counts = emptyCounts();
    for (const s of stages) counts[s.status] += 1;
    const exitCode = status === 'succeeded' ? 0 : status === 'interrupted' ? 130 : 1;
    return { runId: this.runId, status, exitCode, dryRun: false, durationMs: Date.now() - this.started, plan: this.plan, stages, counts };
  }

  private notice(message: string): void {
    (this.options.notice ?? ((m: string) => void process.stderr.write(`${m}\n`)))(message);
  }

  private emit(e: RunEvent): void {
    this.bus.emit(e);
  }

  private abortAll(reason: 'interrupted' | 'fail-fast'): void {
    if (this.abortReason === undefined) this.abortReason = reason;
    if (reason === 'interrupted') this.abortReason = 'interrupted';
    this.cancel.abort();
    for (const handle of this.running.values()) void this.executor.cancel(handle);
  }

  private baseRecord(p: PlannedStage): Omit<StageRunRecord, 'id' | 'status' | 'reason'> {
    return {
      runId: this.runId,
      stageId: p.stage.id,
      baseId: p.stage.baseId,
      kind: p.stage.kind,
      uses: p.stage.uses ?? null,
      fingerprint: p.fingerprint.hash,
      fingerprintJson: p.fingerprint.json,
      reusedFrom: null,
      attempt: 1,
      executor: null,
      jobId: null,
      stageRunDir: null,
      logPath: null,
      exitCode: null,
      error: null,
      startedAt: null,
      finishedAt: null,
      durationMs: null,
    };
  }

  /** Cached stages: one transaction for all their rows, then publish restores. */
  private async recordCached(cached: PlannedStage[]): Promise<void> {
    if (cached.length === 0) return;
    const now = new Date().toISOString();
    const insertAll = () =>
      cached.map((p) =>
        this.store.insertStageRun({
          ...this.baseRecord(p),
          status: 'cached',
          reason: p.reason,
          reusedFrom: p.reusedFrom!.id,
          logPath: p.reusedFrom!.logPath,
          startedAt: now,
          finishedAt: now,
          durationMs: 0,
        }),
      );
    const records: StageRunRecord[] = this.store.transaction(insertAll);
    for (const [i, p] of cached.entries()) {
      const rec = records[i]!;
      const artifacts = p.reusedArtifacts ?? [];
      this.outputs.set(p.stage.id, Object.fromEntries(artifacts.map((a) => [a.name, a.objectPath])));
      this.outputHashes.set(p.stage.id, Object.fromEntries(artifacts.map((a) => [a.name, a.hash])));
      let error: string | undefined;
      try {
        await this.publish(p, artifacts);
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
        outputs: this.outputs.get(p.stage.id)!,
        ...(error ? { error } : {}),
      };
      this.results.set(p.stage.id, summary);
      this.emit({ type: 'stage-finished', t: Date.now(), stageId: p.stage.id, stageRunId: rec.id, status: 'cached', reason: p.reason, durationMs: null, logPath: rec.logPath, ...(error ? { error } : {}) });
    }
  }

  /**
   * A stage planned while upstream stages still had to run: now that they finished, its fingerprint is
   * computed from the content hashes of the outputs they actually produced, and the decision taken again
   * (early cutoff: byte-identical upstream outputs keep it cached).
   */
  private async decideAfterUpstream(p: PlannedStage): Promise<StageSummary> {
    const upstream = (s: string, o: string) => this.outputHashes.get(s)?.[o];
    let decided: PlannedStage;
    try {
      const fingerprint = await computeFingerprint(p.stage, this.options.catalog, upstream, this.hasher);
      decided = { ...decideStage(p.stage, fingerprint, p.reasonKind === 'forced', this.store), deps: p.deps };
    } catch (err) {
      const error = err instanceof MissingInputError ? err.message : `internal error: ${err instanceof Error ? err.message : String(err)}`;
      return this.skip(p, `could not be planned: ${error}`);
    }
    const at = this.plan.indexOf(p);
    if (at >= 0) this.plan[at] = decided;
    if (decided.decision === 'cached') {
      await this.recordCached([decided]);
      return this.results.get(p.stage.id)!;
    }
    return this.execute(decided);
  }

  private async publish(p: PlannedStage, artifacts: (ArtifactRecord | NewArtifact)[]): Promise<void> {
    for (const [name, decl] of Object.entries(p.stage.outputs)) {
      if (!decl.publish) continue;
      const a = artifacts.find((x) => x.name === name);
      if (!a) continue;
      const done = await publishOutput(a.objectPath, a.hash, decl.publish);
      if (done === 'replaced' && p.decision === 'cached') this.notice(`sonic: restored ${displayPath(decl.publish)} from the recorded output ${name} of stage ${p.stage.id} (the published copy had been changed)`);
    }
  }

  private async schedule(): Promise<void> {
    const jobs = Math.max(1, this.options.jobs ?? this.options.cpus ?? availableParallelism());
    const localQueue = new PQueue({ concurrency: jobs });
    // jobs whose resources the cluster allocates: not capped by local cores, only by an explicit --jobs
    const clusterQueue = new PQueue({ concurrency: this.options.jobs !== undefined ? Math.max(1, this.options.jobs) : Infinity });
    const queueOf = (p: PlannedStage) => (allocatedElsewhere(this.executor, p.stage.id) ? clusterQueue : localQueue);
    const done = new Map<string, Promise<StageSummary>>();
    for (const p of this.plan) {
      const id = p.stage.id;
      const cached = this.results.get(id);
      if (cached) {
        done.set(id, Promise.resolve(cached));
        continue;
      }
      const deps = p.deps.map((d) => done.get(d)).filter((x): x is Promise<StageSummary> => x !== undefined);
      done.set(
        id,
        Promise.all(deps).then((upstream) => {
          const bad = upstream.filter((u) => u.status !== 'succeeded' && u.status !== 'cached');
          if (bad.length > 0) return this.skip(p, `upstream ${bad[0]!.status}: ${bad.map((b) => b.stageId).join(', ')}`);
          if (this.cancel.signal.aborted) return this.skip(p, this.notStartedReason());
          if (p.tentativeOn?.length) return queueOf(p).add(() => this.decideAfterUpstream(p));
          return queueOf(p).add(() => this.execute(p));
        }),
      );
    }
    await Promise.all(done.values());
  }

  private notStartedReason(): string {
    return this.abortReason === 'fail-fast' ? 'not started: --fail-fast after a failure' : 'not started: run interrupted';
  }

  private skip(p: PlannedStage, reason: string): StageSummary {
    const rec = this.store.insertStageRun({ ...this.baseRecord(p), status: 'skipped', reason });
    const s: StageSummary = { stageId: p.stage.id, status: 'skipped', reason, stageRunId: rec.id, attempt: 1, logPath: null, durationMs: null };
    this.results.set(p.stage.id, s);
    this.emit({ type: 'stage-finished', t: Date.now(), stageId: p.stage.id, stageRunId: rec.id, status: 'skipped', reason, durationMs: null, logPath: null });
    return s;
  }

  private async execute(p: PlannedStage): Promise<StageSummary> {
    if (this.cancel.signal.aborted) return this.skip(p, this.notStartedReason());
    const grant = allocatedElsewhere(this.executor, p.stage.id) ? { gpus: [] as number[], release: () => {} } : await this.pool.acquire(p.stage.resources);
    try {
      if (this.cancel.signal.aborted) return this.skip(p, this.notStartedReason());
      const leftover = this.takeLeftover(p);
      const maxAttempts = 1 + Math.max(0, p.stage.retries);
      let result!: StageSummary;
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        const willRetry = attempt < maxAttempts;
        try {
          result = attempt === 1 && leftover !== undefined ? await this.collectLeftover(p, leftover, willRetry) : await this.attempt(p, attempt, grant.gpus, willRetry);
        } catch (err) {
          // an engine error (store, filesystem) while handling this stage: fail it, keep the others going
          const error = `internal error: ${err instanceof Error ? err.message : String(err)}`;
          result = { stageId: p.stage.id, status: 'failed', reason: p.reason, stageRunId: null, attempt, logPath: null, durationMs: null, error };
          this.emit({ type: 'stage-finished', t: Date.now(), stageId: p.stage.id, stageRunId: null, status: 'failed', reason: p.reason, durationMs: null, logPath: null, error });
          break;
        }
        if (result.status !== 'failed' || !willRetry || this.cancel.signal.aborted) break;
        const delay = (this.options.retryBaseDelayMs ?? 1000) * 2 ** (attempt - 1);
        await abortableSleep(delay, this.cancel.signal);
        if (this.cancel.signal.aborted) break;
      }
      this.results.set(p.stage.id, result);
      if (result.status === 'failed' && this.options.failFast) this.abortAll('fail-fast');
      return result;
    } finally {
      grant.release();
    }
  }

  private readsRunRecord(stage: PlannedStage['stage']): boolean {
    return stage.uses !== undefined && this.options.catalog?.get(stage.uses)?.readsRunRecord === true;
  }

  private writeRunRecordFor(stageId: string, stageRunDir: string): string {
    const upstream = upstreamStageIds(this.pipeline.stages, stageId).flatMap((id) => this.results.get(id) ?? []);
    const path = join(stageRunDir, RUN_RECORD_FILE);
    writeRunRecord(path, buildRunRecord(this.store, this.runId, upstream));
    return path;
  }

  /** A leftover job for this stage with this fingerprint (taken once). */
  private takeLeftover(p: PlannedStage): LeftoverJob | undefined {
    const l = this.reattach.get(p.stage.id);
    if (l === undefined || l.record.fingerprint !== p.fingerprint.hash) return undefined;
    this.reattach.delete(p.stage.id);
    return l;
  }

  /** One attempt: a fresh stage-run directory and record, submitted to the executor, then waited for. */
  private async attempt(p: PlannedStage, attempt: number, gpus: number[], willRetry: boolean): Promise<StageSummary> {
    const stage = p.stage;
    const dir = join(this.ws, 'runs', String(this.runId), safeStageDirName(stage.id) + (attempt > 1 ? `.attempt${attempt}` : ''));
    const startedAt = new Date();
    const logPath = join(dir, 'log.txt');
    const rec = this.store.insertStageRun({
      ...this.baseRecord(p),
      status: 'running',
      reason: p.reason,
      attempt,
      executor: this.executor.name,
      stageRunDir: dir,
      logPath,
      startedAt: startedAt.toISOString(),
    });
    const sub: Submission = { p, recId: rec.id, attempt, gpus, logPath, startedAt, willRetry, eventsPath: jobPaths(dir).events, outputs: {}, stageRunDir: dir };

    let prepared: PreparedJob;
    try {
      prepared = prepareJob({
        stage,
        stageRunDir: dir,
        upstreamOutputs: (id) => this.outputs.get(id) ?? {},
        stageModules: this.options.stageModules ?? [],
        gpus,
        ...(this.options.logLimitBytes !== undefined ? { logLimitBytes: this.options.logLimitBytes } : {}),
        ...(this.readsRunRecord(stage) ? { runRecord: (d: string) => this.writeRunRecordFor(stage.id, d) } : {}),
      });
    } catch (err) {
      return this.finish(sub, 'failed', { error: err instanceof Error ? err.message : String(err) });
    }
    sub.outputs = prepared.outputs;
    this.emit({ type: 'stage-started', t: Date.now(), stageId: stage.id, stageRunId: rec.id, attempt, logPath, gpus });

    let handle: JobHandle;
    try {
      handle = await this.executor.submit(prepared.spec);
    } catch (err) {
      return this.finish(sub, 'failed', { error: `could not start: ${err instanceof Error ? err.message : String(err)}` });
    }
    this.store.updateStageRun(rec.id, { jobId: handle.jobId, executor: handle.executor });
    return this.waitAndCommit(sub, handle);
  }

  /**
   * A job a killed runner submitted for this very stage and fingerprint: wait for it (it may have ended
   * meanwhile) and commit its outputs to its own stage run, instead of submitting the stage again. The new
   * run records the stage as reusing that stage run.
   */
  private async collectLeftover(p: PlannedStage, leftover: LeftoverJob, willRetry: boolean): Promise<StageSummary> {
    const rec = leftover.record;
    const dir = leftover.handle.stageRunDir;
    const logPath = rec.logPath ?? jobPaths(dir).log;
    let outputs: Record<string, string>;
    try {
      outputs = readJobFile(jobPaths(dir).job).outputs;
    } catch (err) {
      await this.executor.cancel(leftover.handle).catch(() => {});
      const error = `cannot re-attach to ${leftover.handle.executor} job ${leftover.handle.jobId}: ${err instanceof Error ? err.message : String(err)}`;
      this.store.updateStageRun(rec.id, { status: 'interrupted', error, finishedAt: new Date().toISOString() });
      return this.attempt(p, 1, [], willRetry);
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
    this.emit({ type: 'stage-started', t: Date.now(), stageId: p.stage.id, stageRunId: rec.id, attempt: rec.attempt, logPath, gpus: [] });
    const result = await this.waitAndCommit(sub, leftover.handle);
    if (result.status === 'succeeded') {
      const now = new Date().toISOString();
      this.store.insertStageRun({
        ...this.baseRecord(p),
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

  private finish(sub: Submission, status: StageOutcome, extra: { error?: string; exitCode?: number | null; outputs?: Record<string, string> } = {}): StageSummary {
    const { p, recId, attempt, gpus, logPath } = sub;
    const durationMs = Date.now() - sub.startedAt.getTime();
    if (status !== 'succeeded') {
      try {
        this.store.updateStageRun(recId, {
          status,
          error: extra.error ?? null,
          exitCode: extra.exitCode ?? null,
          finishedAt: new Date().toISOString(),
          durationMs,
        });
      } catch (err) {
        // e.g. the disk is still full: the next runner marks the stage run interrupted (recover.ts)
        extra = { ...extra, error: `${extra.error ?? status}; the failure could not be recorded: ${err instanceof Error ? err.message : String(err)}` };
      }
    }
    const retrying = status === 'failed' && sub.willRetry && !this.cancel.signal.aborted;
    this.emit({
      type: 'stage-finished',
      t: Date.now(),
      stageId: p.stage.id,
      stageRunId: recId,
      status,
      reason: p.reason,
      durationMs,
      logPath,
      ...(extra.error ? { error: extra.error } : {}),
      ...(retrying ? { willRetry: true } : {}),
    });
    return {
      stageId: p.stage.id,
      status,
      reason: p.reason,
      stageRunId: recId,
      attempt,
      logPath,
      durationMs,
      gpus,
      ...(extra.error ? { error: extra.error } : {}),
      ...(extra.outputs ? { outputs: extra.outputs } : {}),
    };
  }

  /** Waits for a submitted (or re-attached) job, then ingests its outputs and commits its stage run. */
  private async waitAndCommit(sub: Submission, handle: JobHandle): Promise<StageSummary> {
    const { p, recId } = sub;
    const stage = p.stage;
    this.running.set(stage.id, handle);
    if (this.cancel.signal.aborted) void this.executor.cancel(handle);

    const tail = new StageEventTail(sub.eventsPath);
    const pump = () => {
      for (const e of tail.read()) {
        if (e.type === 'progress') this.emit({ type: 'stage-progress', t: e.t, stageId: stage.id, done: e.done, total: e.total, ...(e.label !== undefined ? { label: e.label } : {}) });
        else if (e.type === 'log') this.emit({ type: 'stage-log', t: e.t, stageId: stage.id, message: e.message });
        else this.emit({ type: 'stage-metric', t: e.t, stageId: stage.id, name: e.name, value: e.value, ...(e.step !== undefined ? { step: e.step } : {}) });
      }
    };
    const timer = setInterval(pump, EVENT_POLL_MS);
    let status: JobStatus;
    try {
      status = await waitForJob(this.executor, handle);
    } finally {
      clearInterval(timer);
      this.running.delete(stage.id);
    }
    pump();

    if (status.state !== 'succeeded') {
      const interrupted = status.state === 'interrupted' || status.state === 'cancelled' || (this.cancel.signal.aborted && status.state !== 'failed');
      return this.finish(sub, interrupted ? 'interrupted' : 'failed', {
        error: status.message ?? `stage ${status.state}`,
        exitCode: status.exitCode ?? null,
      });
    }
    const ingested: StoredOutput[] = [];
    try {
      const changed = await inputsChangedDuringRun(stage, p.fingerprint.struct, this.freshHasher());
      if (changed.length > 0) return this.finish(sub, 'failed', { error: inputsChangedMessage(changed), exitCode: status.exitCode ?? 0 });
      const artifacts = await this.ingestOutputs(stage.id, sub.outputs, ingested);
      const metrics = readStageEvents(sub.eventsPath)
        .filter((e) => e.type === 'metric')
        .map((e) => ({ name: e.name, value: e.value, step: e.step ?? null, tags: { ...stage.tags, ...(e.tags ?? {}) } }));
      this.store.commitStageRun(recId, {
        artifacts,
        metrics,
        params: stage.with,
        finishedAt: new Date().toISOString(),
        durationMs: Date.now() - sub.startedAt.getTime(),
        exitCode: status.exitCode ?? 0,
      });
      this.pending.release(ingested.map((o) => o.hash));
      ingested.length = 0;
      const outputs = Object.fromEntries(artifacts.map((a) => [a.name, a.objectPath]));
      this.outputs.set(stage.id, outputs);
      this.outputHashes.set(stage.id, Object.fromEntries(artifacts.map((a) => [a.name, a.hash])));
      try {
        await this.publish(p, artifacts);
      } catch (err) {
        const error = `publish failed: ${err instanceof Error ? err.message : String(err)}`;
        this.store.updateStageRun(recId, { status: 'failed', error });
        return this.finish(sub, 'failed', { error, exitCode: status.exitCode ?? 0 });
      }
      await rm(jobPaths(sub.stageRunDir).work, { recursive: true, force: true }).catch(() => {});
      return this.finish(sub, 'succeeded', { exitCode: status.exitCode ?? 0, outputs });
    } catch (err) {
      // nothing of this attempt is recorded: the objects it moved into the store go again, first
      this.pending.release(ingested.map((o) => o.hash));
      const created = ingested.filter((o) => o.created);
      await removeOrphanedObjects(this.objects, created, (h) => this.pending.isHeld(h) || this.store.hashReferenced(h)).catch(() => 0);
      const bytes = ingested.reduce((n, o) => n + o.size, 0) || (await treeSize(jobPaths(sub.stageRunDir).out).catch(() => 0));
      const error = ingested.length > 0 || isDiskFull(err) ? commitFailureMessage(err, this.ws, bytes) : err instanceof Error ? err.message : String(err);
      return this.finish(sub, 'failed', { error, exitCode: status.exitCode ?? 0 });
    }
  }

  /** A hasher without memory of earlier answers (the stat cache still spares unchanged files a read). */
  private freshHasher(): InputHasher {
    return statCachedHasher(this.store, (path) => hashPath(path, { cache: this.store }));
  }

  /** Every declared output must exist; only then are they moved into the object store. */
  private async ingestOutputs(stageId: string, outputPaths: Record<string, string>, ingested: StoredOutput[]): Promise<NewArtifact[]> {
    const missing = Object.entries(outputPaths).filter(([, path]) => !existsSync(path));
    if (missing.length > 0) {
      throw new Error(`declared output${missing.length > 1 ? 's' : ''} not written by ${stageId}: ${missing.map(([n, path]) => `${n} (${path})`).join(', ')}`);
    }
    const artifacts: NewArtifact[] = [];
    for (const [name, path] of Object.entries(outputPaths)) {
      const o = await this.objects.ingest(path);
      this.pending.hold(o.hash);
      ingested.push(o);
      artifacts.push({ name, hash: o.hash, size: o.size, type: o.type, objectPath: o.objectPath });
    }
    return artifacts;
  }
}

async function waitForJob(executor: Executor, handle: JobHandle): Promise<JobStatus> {
  if (executor.wait) return executor.wait(handle);
  for (;;) {
    const s = await executor.poll(handle);
    if (s.state !== 'queued' && s.state !== 'running') return s;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
