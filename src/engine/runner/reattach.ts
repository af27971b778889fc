// Re-attaching after a runner died: stage runs it left 'running' whose executor can re-attach (Slurm: the
// job lives on in the cluster) are matched against the new plan. A job for a stage planned again with the
// same fingerprint is collected instead of submitted again; any other leftover job is cancelled.
import type { Executor, JobHandle } from '../exec/executor.js';
import { SlurmExecutor, SLURM_EXECUTOR_NAME } from '../exec/slurm/slurm-executor.js';
import type { PlannedStage } from '../graph/plan.js';
import type { RunStore, StageRunRecord } from '../store/store-api.js';

export interface LeftoverJob {
  record: StageRunRecord;
  handle: JobHandle;
}

/** Dangling stage runs whose recorded job the executor can re-attach to. */
export function findReattachable(store: Pick<RunStore, 'danglingStageRuns'>, executor: Executor): LeftoverJob[] {
  if (executor.reattach === undefined) return [];
  const found: LeftoverJob[] = [];
  for (const record of store.danglingStageRuns()) {
    if (record.jobId === null || record.stageRunDir === null || record.executor === null) continue;
    const handle = executor.reattach(record.jobId, record.stageRunDir, record.executor);
    if (handle !== undefined) found.push({ record, handle });
  }
  return found;
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
 * Slurm jobs a killed runner left that this run's executor cannot re-attach to (e.g. the rerun chose
 * `--executor local`): cancelled with scancel, so they do not keep running unseen. Returns their stage ids.
 */
export async function cancelUnreachableSlurmJobs(store: Pick<RunStore, 'danglingStageRuns'>, reachable: ReadonlySet<number>): Promise<string[]> {
  const orphans = store.danglingStageRuns().filter((r) => r.executor === SLURM_EXECUTOR_NAME && r.jobId !== null && r.stageRunDir !== null && !reachable.has(r.id));
  if (orphans.length === 0) return [];
  const slurm = new SlurmExecutor();
  for (const r of orphans) await slurm.cancel({ executor: SLURM_EXECUTOR_NAME, jobId: r.jobId!, stageRunDir: r.stageRunDir! }).catch(() => {});
  return orphans.map((r) => `${r.stageId} (slurm job ${r.jobId})`);
}
