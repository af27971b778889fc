// Recovery after a runner died (kill -9, power loss): stage runs it left 'running' are marked interrupted
// (their stage-run directories are never committed, so nothing half-written counts), orphaned local
// children still running are stopped, and its run is closed as interrupted.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { RunStore, StageRunRecord } from '../store/store-api.js';

/** True when `pid` is alive and its environment names this stage-run directory (guards against pid reuse). */
function isOrphanOf(pid: number, stageRunDir: string): boolean {
  try {
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8');
    return env.split('\0').includes(`SONIC_STAGE_RUN_DIR=${stageRunDir}`);
  } catch {
    return false;
  }
}

export interface RecoveryReport {
  interruptedStageRuns: string[];
  killedOrphans: number[];
  closedRuns: number[];
}

export interface RecoveryOptions {
  currentRunId?: number;
  /** Stage runs to leave 'running' (jobs a re-attaching executor still owns; the runner settles them). */
  keep?: (stageRun: StageRunRecord) => boolean;
}

export function recoverDeadRuns(store: RunStore, options: RecoveryOptions = {}): RecoveryReport {
  const { currentRunId, keep } = options;
  const report: RecoveryReport = { interruptedStageRuns: [], killedOrphans: [], closedRuns: [] };
  const now = new Date().toISOString();
  for (const sr of store.danglingStageRuns()) {
    if (sr.runId === currentRunId || keep?.(sr)) continue;
    const pid = sr.jobId !== null && sr.executor === 'local' ? Number(sr.jobId) : NaN;
    if (Number.isInteger(pid) && pid > 0 && sr.stageRunDir && isOrphanOf(pid, sr.stageRunDir)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
      report.killedOrphans.push(pid);
    }
    store.updateStageRun(sr.id, { status: 'interrupted', error: 'the runner died while the stage was running', finishedAt: now });
    report.interruptedStageRuns.push(sr.stageId);
  }
  const running = store.runningRuns();
  for (const run of running) {
    if (run.id === currentRunId) continue;
    if (run.host === hostname() && run.pid === process.pid) continue;
    store.finishRun(run.id, 'interrupted');
    report.closedRuns.push(run.id);
  }
  return report;
}
