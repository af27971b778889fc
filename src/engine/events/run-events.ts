// The events a run emits, in order. Terminal progress, per-stage log files and the run store subscribe.
import type { StageRunStatus } from '../store/store-api.js';

export type StageOutcome = Extract<StageRunStatus, 'succeeded' | 'failed' | 'cached' | 'skipped' | 'interrupted'>;

export type RunEvent =
  | { type: 'run-started'; t: number; runId: number; pipeline: string; workspace: string; stageCount: number; dryRun: boolean }
  | {
      type: 'stage-planned';
      t: number;
      stageId: string;
      decision: 'run' | 'cached';
      reason: string;
      fingerprint: string;
    }
  | {
      type: 'stage-started';
      t: number;
      stageId: string;
      stageRunId: number;
      attempt: number;
      logPath: string;
      gpus: number[];
      /** SONIC_WASM_THREADS the runner gave the stage (absent: none given, e.g. the user set it) */
      threads?: { count: number; why: string };
    }
  | { type: 'stage-progress'; t: number; stageId: string; done: number; total: number; label?: string }
  | { type: 'stage-log'; t: number; stageId: string; message: string }
  | { type: 'stage-metric'; t: number; stageId: string; name: string; value: number; step?: number }
  | {
      type: 'stage-finished';
      t: number;
      stageId: string;
      stageRunId: number | null;
      status: StageOutcome;
      reason: string;
      durationMs: number | null;
      logPath: string | null;
      error?: string;
      willRetry?: boolean;
    }
  | { type: 'run-finished'; t: number; runId: number; status: 'succeeded' | 'failed' | 'interrupted'; durationMs: number; counts: Record<StageOutcome, number> };

export type RunEventListener = (event: RunEvent) => void;

/** Synchronous fan-out; a throwing subscriber is reported once and detached so it cannot break the run. */
export class RunEventBus {
  private readonly listeners: RunEventListener[] = [];

  subscribe(listener: RunEventListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  emit(event: RunEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch (err) {
        const i = this.listeners.indexOf(l);
        if (i >= 0) this.listeners.splice(i, 1);
        process.stderr.write(`sonic: event subscriber failed and was detached: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
  }
}
