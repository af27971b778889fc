// What a run returns to its caller, and its printed form.
import type { StageOutcome } from '../events/run-events.js';
import type { PlannedStage } from '../graph/plan.js';
import { formatDuration } from '../events/terminal-progress.js';

export interface StageSummary {
  stageId: string;
  status: StageOutcome;
  reason: string; // why it ran, was cached, or was skipped
  stageRunId: number | null;
  attempt: number;
  logPath: string | null;
  durationMs: number | null;
  error?: string;
  reusedFrom?: number; // cached: the stage run whose outputs were reused
  gpus?: number[];
  outputs?: Record<string, string>; // object-store paths of the committed outputs (succeeded / cached)
}

export interface RunSummary {
  runId: number | null; // null for a dry run
  status: 'succeeded' | 'failed' | 'interrupted';
  exitCode: 0 | 1 | 130;
  dryRun: boolean;
  durationMs: number;
  plan: PlannedStage[];
  stages: StageSummary[]; // topological order; empty for a dry run
  counts: Record<StageOutcome, number>;
}

export function emptyCounts(): Record<StageOutcome, number> {
  return { succeeded: 0, failed: 0, cached: 0, skipped: 0, interrupted: 0 };
}

/** Dry-run column: `run`, `cached`, or `maybe` (cached unless an upstream stage that runs first changes its outputs). */
export function planLabel(p: PlannedStage): 'run' | 'cached' | 'maybe' {
  if (p.decision === 'run') return 'run';
  return p.tentativeOn?.length ? 'maybe' : 'cached';
}

export function formatPlan(plan: PlannedStage[]): string {
  const width = Math.min(48, Math.max(8, ...plan.map((p) => p.stage.id.length)));
  const lines = plan.map((p) => `${planLabel(p).padEnd(6)}  ${p.stage.id.padEnd(width)}  ${p.reason}${p.publishDrift ? `; restores published ${p.publishDrift.join(', ')}` : ''}`);
  const n = plan.filter((p) => p.decision === 'run').length;
  const maybe = plan.filter((p) => planLabel(p) === 'maybe').length;
  lines.push(`${n} of ${plan.length} stage${plan.length === 1 ? '' : 's'} would run${maybe ? `; ${maybe} more if upstream outputs change` : ''}`);
  return `${lines.join('\n')}\n`;
}

export function formatSummary(s: RunSummary): string {
  if (s.dryRun) return formatPlan(s.plan);
  const c = s.counts;
  const parts = [`${c.succeeded} ran`, `${c.cached} cached`];
  if (c.failed) parts.push(`${c.failed} failed`);
  if (c.skipped) parts.push(`${c.skipped} skipped`);
  if (c.interrupted) parts.push(`${c.interrupted} interrupted`);
  const lines = [`run ${s.runId} ${s.status} in ${formatDuration(s.durationMs)}: ${parts.join(', ')}`];
  for (const st of s.stages) {
    if (st.status === 'failed' || st.status === 'interrupted') {
      lines.push(`  ${st.status} ${st.stageId}${st.error ? `: ${st.error}` : ''}${st.logPath ? `\n    log: ${st.logPath}` : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
