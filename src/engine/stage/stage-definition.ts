// The contract between the engine and built-in stages. The engine never imports a stage: the CLI hands it
// a catalog (and the worker a list of module URLs that export stage definitions).
import type { ZodType } from 'zod';
import type { RunRecord } from './run-record.js';

export interface StageIODecl {
  description: string;
  optional?: boolean; // inputs only
  list?: boolean; // inputs only: the stage expects an array of paths
}

export interface StageDefinition<P = any> {
  name: string; // referenced as `uses: NAME`
  version: string; // part of the fingerprint: bump when the stage's behaviour changes
  description: string;
  params: ZodType<P>; // validates and defaults `with:`
  inputs: Record<string, StageIODecl>;
  outputs: Record<string, StageIODecl>; // default output paths are the output names
  /**
   * The stage reads ctx.runRecord(): its upstream stages' timing and metrics (a report). What it writes
   * from them is not part of its fingerprint: a cached report keeps the record of the run that made it.
   */
  readsRunRecord?: boolean;
  /** GPU-capable stages may use ctx.gpus; resources are a scheduling hint, not part of the fingerprint. */
  run(ctx: StageContext<P>): Promise<void>;
}

export interface MetricOptions {
  step?: number;
  tags?: Record<string, string>;
}

export interface StageContext<P = any> {
  stageId: string;
  params: P;
  inputs: Record<string, string | string[]>; // absolute paths (read-only)
  outputs: Record<string, string>; // absolute paths inside the fresh output directory
  workDir: string; // scratch directory, discarded after the stage
  gpus: number[]; // device ids assigned by the runner (also in CUDA_VISIBLE_DEVICES)
  signal: AbortSignal; // aborted on Ctrl-C / cancel
  log(message: string): void;
  progress(done: number, total: number, label?: string): void;
  metric(name: string, value: number, options?: MetricOptions): void;
  /**
   * The run record (see run-record.ts). Set by the stage worker; throws there unless the stage definition
   * sets readsRunRecord. Absent in contexts built outside a run (tests).
   */
  runRecord?(): RunRecord;
}

export interface StageCatalog {
  get(name: string): StageDefinition | undefined;
  names(): string[];
}

/** A stage module's default export (or named export `stages`): the definitions it contributes. */
export type StageModuleExports = { stages: StageDefinition[] };
