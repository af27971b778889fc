// What a stage that declares `readsRunRecord` is handed (ctx.runRecord()): the run it belongs to and, for
// each of its upstream stages, the stage run that made the outputs it reads (a cached stage resolves to the
// run that executed it) with that stage run's timing and metrics. Written by the runner as JSON next to
// job.json, so a stage on a cluster host reads it without opening SQLite. A report stage uses it for
// training curves, the run timeline and "how the run was made".

export interface RunRecordMetric {
  name: string;
  value: number;
  step: number | null;
  tags: Record<string, string>;
}

export interface RunRecordStage {
  stageId: string;
  baseId: string;
  uses: string | null;
  /** In the run that asked: 'succeeded' (executed in it) or 'cached' (outputs reused from `runId`). */
  status: 'succeeded' | 'cached';
  reason: string;
  stageRunId: number; // the stage run that executed (the source of a cached one)
  runId: number; // the run that stage run belongs to
  startedAt: string | null; // ISO
  finishedAt: string | null; // ISO
  durationMs: number | null;
  logPath: string | null;
  metrics: RunRecordMetric[];
}

export interface RunRecord {
  run: {
    id: number;
    pipelineName: string;
    pipelineFile: string;
    argv: string[];
    startedAt: string; // ISO
    host: string;
    /** `git rev-parse HEAD` of the pipeline file's directory at the time the record was written, or null. */
    commit: string | null;
    /** Whether that work tree had uncommitted changes (null when not a git work tree). */
    dirty: boolean | null;
  };
  /** Upstream stages in the order the run planned them (topological). */
  stages: RunRecordStage[];
}

export const RUN_RECORD_FILE = 'run-record.json';
