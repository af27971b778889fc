// Files through which a running stage talks to the runner. The same protocol serves the local executor
// and cluster executors (jobs on other hosts share the workspace filesystem and never open SQLite).
//
// <stageRunDir>/
//   job.json      JobFile, written by the runner before submit
//   out/          fresh output directory (declared outputs live here)
//   work/         scratch directory
//   events.jsonl  StageEvent lines appended by the worker or by a command stage ($SONIC_EVENTS)
//   result.json   JobResult, written atomically (tmp + rename) by the worker when it ends
//   log.txt       stdout + stderr of the stage
import type { Params } from '../config/pipeline-model.js';

export interface JobFile {
  protocol: 1;
  stageId: string;
  kind: 'uses' | 'run';
  uses?: string;
  stageModules: string[]; // module URLs the worker imports to find `uses`
  argv?: string[]; // fully resolved argv for `run` stages
  params: Params;
  inputs: Record<string, string | string[]>;
  outputs: Record<string, string>;
  workDir: string;
  gpus: number[];
  env: Record<string, string>;
  tags: Record<string, string>;
  runRecord?: string; // path of run-record.json, for stages that declare readsRunRecord
}

export type StageEvent =
  | { t: number; type: 'log'; message: string }
  | { t: number; type: 'progress'; done: number; total: number; label?: string }
  | { t: number; type: 'metric'; name: string; value: number; step?: number; tags?: Record<string, string> };

export interface JobResult {
  status: 'succeeded' | 'failed' | 'interrupted';
  exitCode: number | null;
  error?: string;
  durationMs: number;
}
