// Re-attaching after a runner died: stage runs it left 'running' whose executor can re-attach (a cluster
// job lives on) are matched against the new plan. A job for a stage planned again with the same
// fingerprint is collected instead of submitted again; any other leftover job is cancelled. Everything
// goes through the Executor interface: which executors exist is the caller's business (the CLI's).
import type { Executor, JobHandle } from '../exec/executor.js';
import type { PlannedStage } from '../graph/plan.js';
import type { RunStore, StageRunRecord } from '../store/store-api.js';

export interface LeftoverJob {
  record: StageRunRecord;
  handle: JobHandle;
}

/** The job of a dangling stage run, if `executor` can re-attach to it. */
function leftoverOn(executor: Executor, record: StageRunRecord): LeftoverJob | undefined {
  if (executor.reattach === undefined || record.jobId === null || record.stageRunDir === null || record.executor === null) return undefined;
  const handle = executor.reattach(record.jobId, record.stageRunDir, record.executor);
  return handle === undefined ? undefined : { record, handle };
}

/** Dangling stage runs whose recorded job the executor can re-attach to. */
export function findReattachable(store: Pick<RunStore, 'danglingStageRuns'>, executor: Executor): LeftoverJob[] {
  if (executor.reattach === undefined) return [];
  return store.danglingStageRuns().flatMap((record) => leftoverOn(executor, record) ?? []);
}

/**
 * Splits leftovers into those to collect (stage id -> job; the latest record per stage, planned to run or
 * tentatively cached with the recorded fingerprint) and those to cancel.
 */
export function matchReattachable(leftovers: LeftoverJob[], plan: PlannedStage[]): { reattach: Map<string, LeftoverJob>; obsolete: LeftoverJob[] } {
  const planned = new Map(plan.map((p) => [p.stage.id, p]));
  const reattach = new Map<string, LeftoverJob>();
  const obsolete: LeftoverJob[] = [];
  for (const l of [...leftovers].sort((a, b) => b.record.id - a.record.id)) {
    const p = planned.get(l.record.stageId);
    const wanted = p !== undefined && (p.decision === 'run' || (p.tentativeOn?.length ?? 0) > 0) && p.fingerprint.hash === l.record.fingerprint;
    if (wanted && !reattach.has(l.record.stageId)) reattach.set(l.record.stageId, l);
    else obsolete.push(l);
  }
  return { reattach, obsolete };
}

/**
 * Jobs a killed runner left on executors this run does not use (e.g. Slurm jobs when the rerun chose
 * `--executor local`): cancelled through the executor they were recorded under, so they do not keep
 * running unseen. `reachable` are the stage-run ids the run's own executor re-attached to. Returns
 * "stage (executor job id)" for each job cancelled.
 */
export async function cancelUnreachableJobs(store: Pick<RunStore, 'danglingStageRuns'>, others: readonly Executor[], reachable: ReadonlySet<number>): Promise<string[]> {
  const cancelled: string[] = [];
  for (const record of store.danglingStageRuns()) {
    if (reachable.has(record.id)) continue;
    for (const executor of others) {
      if (executor.name !== record.executor) continue;
      const leftover = leftoverOn(executor, record);
      if (leftover === undefined) continue;
      await executor.cancel(leftover.handle).catch(() => {});
      cancelled.push(`${record.stageId} (${leftover.handle.executor} job ${leftover.handle.jobId})`);
      break;
    }
  }
  return cancelled;
}

/** Marks leftover jobs interrupted after cancelling them (a job that already ended is left as it is). */
export async function cancelLeftovers(store: Pick<RunStore, 'updateStageRun'>, executor: Executor, leftovers: LeftoverJob[], why: string): Promise<void> {
  for (const l of leftovers) {
    await executor.cancel(l.handle).catch(() => {});
    store.updateStageRun(l.record.id, {
      status: 'interrupted',
      error: `the runner died while the stage was running; cancelled ${l.handle.executor} job ${l.handle.jobId}: ${why}`,
      finishedAt: new Date().toISOString(),
    });
  }
}
