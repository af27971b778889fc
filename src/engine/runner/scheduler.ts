// The ready set: each stage starts once all its dependencies have finished, if they all succeeded (or were
// cached) and the run has not been stopped; otherwise it is skipped with the reason. Stages whose resources
// the local machine provides share a queue of `localConcurrency` slots; stages a cluster allocates (Slurm)
// have their own queue. When several are ready, the one with the highest effective priority takes the next
// slot (graph/priorities.ts), else the one defined first. Knows nothing of processes, the store or events: the caller's hooks do the work.
import PQueue from 'p-queue';
import { effectivePriorities } from '../graph/priorities.js';
import type { StageSummary } from './run-summary.js';

export interface SchedulableStage {
  readonly stage: { readonly id: string; readonly priority?: number };
  readonly deps: readonly string[];
}

export interface ScheduleHooks<P extends SchedulableStage> {
  /** Max stages on the local queue at once. */
  localConcurrency: number;
  /** Max stages on the cluster queue at once (Infinity: as many as the cluster takes). */
  clusterConcurrency: number;
  /** Whether a stage goes to the cluster queue. */
  onCluster(p: P): boolean;
  /** A stage already finished before scheduling (cached): its summary, else undefined. */
  finished(stageId: string): StageSummary | undefined;
  /** Whether the run was stopped (interrupt, --fail-fast): stages not yet queued are skipped. */
  stopped(): boolean;
  stoppedReason(): string;
  /** Records a stage that will not run. */
  skip(p: P, reason: string): StageSummary;
  /** Runs a stage inside its queue slot. */
  start(p: P): Promise<StageSummary>;
}

const settledWell = (s: StageSummary) => s.status === 'succeeded' || s.status === 'cached';

/** Runs every stage of `plan` (in dependency order: a stage's deps come before it) and resolves when all are settled. */
export async function scheduleStages<P extends SchedulableStage>(plan: readonly P[], hooks: ScheduleHooks<P>): Promise<StageSummary[]> {
  const local = prioritizedQueue(Math.max(1, hooks.localConcurrency));
  const cluster = prioritizedQueue(hooks.clusterConcurrency);
  const done = new Map<string, Promise<StageSummary>>();
  const priority = effectivePriorities(plan);
  for (const p of plan) {
    const id = p.stage.id;
    const finished = hooks.finished(id);
    if (finished) {
      done.set(id, Promise.resolve(finished));
      continue;
    }
    const deps = p.deps.map((d) => done.get(d)).filter((x): x is Promise<StageSummary> => x !== undefined);
    done.set(
      id,
      Promise.all(deps).then((upstream) => {
        const bad = upstream.filter((u) => !settledWell(u));
        if (bad.length > 0) return hooks.skip(p, `upstream ${bad[0]!.status}: ${bad.map((b) => b.stageId).join(', ')}`);
        if (hooks.stopped()) return hooks.skip(p, hooks.stoppedReason());
        return (hooks.onCluster(p) ? cluster : local)(() => hooks.start(p), priority.get(id) ?? 0);
      }),
    );
  }
  return Promise.all(done.values());
}

/**
 * A queue whose free slots are handed out only at the end of an event-loop turn. The stages a finishing stage
 * unblocks become ready one after another within the turn it ends in; all of them must be queued before the
 * slot it frees (or any other) is taken, or definition order would decide instead of priority.
 */
function prioritizedQueue(concurrency: number): <T>(task: () => Promise<T>, priority: number) => Promise<T> {
  const queue = new PQueue({ concurrency, autoStart: false });
  let startScheduled = false;
  const holdSlotsThisTurn = () => {
    queue.pause();
    if (startScheduled) return;
    startScheduled = true;
    setImmediate(() => {
      startScheduled = false;
      queue.start();
    });
  };
  return (task, priority) => {
    holdSlotsThisTurn();
    return queue.add(
      async () => {
        try {
          return await task();
        } finally {
          holdSlotsThisTurn();
        }
      },
      { priority },
    );
  };
}
