// The state one run shares between its parts (scheduler, stage attempts, commit, re-attach): the store
// and executor, the event bus, what each finished stage produced, the running jobs and the abort state.
import { availableParallelism } from 'node:os';
import type { Pipeline } from '../config/pipeline-model.js';
import type { Executor, JobHandle } from '../exec/executor.js';
import { RunEventBus, type RunEvent } from '../events/run-events.js';
import { statCachedHasher, type InputHasher } from '../fingerprint/input-hasher.js';
import type { PlannedStage } from '../graph/plan.js';
import { hashPath, type ObjectStore } from '../store/object-store.js';
import type { RunStore, StageRunRecord } from '../store/store-api.js';
import { PendingObjects } from './commit-failure.js';
import { defaultNotice, type RunPipelineOptions } from './run-options.js';
import type { StageSummary } from './run-summary.js';

export type AbortReason = 'interrupted' | 'fail-fast';

export class RunContext {
  readonly bus = new RunEventBus();
  /** stage id -> its final summary (after retries) */
  readonly results = new Map<string, StageSummary>();
  /** stage id -> output name -> object-store path, for the stages that finished (ran or cached) */
  readonly outputs = new Map<string, Record<string, string>>();
  /** stage id -> output name -> content hash, for the stages that finished (ran or cached) */
  readonly outputHashes = new Map<string, Record<string, string>>();
  /** stage id -> its job while it runs */
  readonly running = new Map<string, JobHandle>();
  /** objects ingested by attempts that have not committed yet */
  readonly pending = new PendingObjects();
  /** local stages in their attempts now (for the thread share) */
  localRunning = 0;
  private readonly cancel = new AbortController();
  private reason: AbortReason | undefined;
  runId = 0;

  constructor(
    readonly pipeline: Pipeline,
    readonly ws: string,
    readonly store: RunStore,
    readonly objects: ObjectStore,
    readonly options: RunPipelineOptions,
    readonly executor: Executor,
  ) {}

  /** The cores stages share: the --cpus budget, else the machine's. */
  get cores(): number {
    return this.options.cpus ?? availableParallelism();
  }

  get signal(): AbortSignal {
    return this.cancel.signal;
  }

  get aborted(): boolean {
    return this.cancel.signal.aborted;
  }

  get abortReason(): AbortReason | undefined {
    return this.reason;
  }

  emit(e: RunEvent): void {
    this.bus.emit(e);
  }

  notice(message: string): void {
    (this.options.notice ?? defaultNotice)(message);
  }

  /** Stops scheduling and cancels the running jobs; an interrupt outranks an earlier fail-fast. */
  abortAll(reason: AbortReason): void {
    if (this.reason === undefined || reason === 'interrupted') this.reason = reason;
    this.cancel.abort();
    for (const handle of this.running.values()) void this.executor.cancel(handle);
  }

  notStartedReason(): string {
    return this.reason === 'fail-fast' ? 'not started: --fail-fast after a failure' : 'not started: run interrupted';
  }

  /** True when the executor's own scheduler (Slurm) allocates the stage's resources, not the local budget. */
  allocatedElsewhere(stageId: string): boolean {
    return this.executor.allocatesResources?.(stageId) === true;
  }

  /** Remembers what a finished stage produced, for its dependents' inputs and fingerprints. */
  rememberOutputs(stageId: string, artifacts: readonly { name: string; objectPath: string; hash: string }[]): Record<string, string> {
    const paths = Object.fromEntries(artifacts.map((a) => [a.name, a.objectPath]));
    this.outputs.set(stageId, paths);
    this.outputHashes.set(stageId, Object.fromEntries(artifacts.map((a) => [a.name, a.hash])));
    return paths;
  }

  /** A hasher without memory of earlier answers (the stat cache still spares unchanged files a read). */
  freshHasher(): InputHasher {
    return statCachedHasher(this.store, (path) => hashPath(path, { cache: this.store }));
  }

  /** The fields of a new stage-run record that come from the plan. */
  baseRecord(p: PlannedStage): Omit<StageRunRecord, 'id' | 'status' | 'reason'> {
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
}
