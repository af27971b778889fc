// The run events about one stage: the one builder of `stage-finished` (from the stage's summary), and the
// pump that turns the events a stage worker appends to events.jsonl into run events.
import type { StageEventTail } from '../exec/job-files.js';
import type { RunEvent } from '../events/run-events.js';
import type { PlannedStage } from '../graph/plan.js';
import type { StageSummary } from './run-summary.js';

type StageFinished = Extract<RunEvent, { type: 'stage-finished' }>;

/** The `stage-finished` event for a stage's summary; `willRetry` when another attempt follows a failure. */
export function stageFinishedEvent(s: StageSummary, willRetry = false, t = Date.now()): StageFinished {
  return {
    type: 'stage-finished',
    t,
    stageId: s.stageId,
    stageRunId: s.stageRunId,
    status: s.status,
    reason: s.reason,
    durationMs: s.durationMs,
    logPath: s.logPath,
    ...(s.error ? { error: s.error } : {}),
    ...(willRetry ? { willRetry: true } : {}),
  };
}

export function stagePlannedEvent(p: PlannedStage, t = Date.now()): RunEvent {
  return { type: 'stage-planned', t, stageId: p.stage.id, decision: p.decision, reason: p.reason, fingerprint: p.fingerprint.hash };
}

/** Emits the progress, log and metric events a stage's worker wrote since the last call. */
export function pumpStageEvents(tail: StageEventTail, stageId: string, emit: (e: RunEvent) => void): void {
  for (const e of tail.read()) {
    if (e.type === 'progress') emit({ type: 'stage-progress', t: e.t, stageId, done: e.done, total: e.total, ...(e.label !== undefined ? { label: e.label } : {}) });
    else if (e.type === 'log') emit({ type: 'stage-log', t: e.t, stageId, message: e.message });
    else emit({ type: 'stage-metric', t: e.t, stageId, name: e.name, value: e.value, ...(e.step !== undefined ? { step: e.step } : {}) });
  }
}
