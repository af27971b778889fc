// The resolved, typed pipeline: what the config loader produces and what planning, fingerprinting and
// execution consume. Everything here is already expanded (include, vars, profiles, matrix) and checked.

export interface SourcePos {
  file: string; // absolute path of the YAML file the node came from
  line: number; // 1-based
  col: number; // 1-based
}

export type ParamValue = null | boolean | number | string | ParamValue[] | { [key: string]: ParamValue };
export type Params = Record<string, ParamValue>;

export interface ResourceRequest {
  cpu: number; // cores; default 1
  cpuDeclared?: true; // set when the pipeline gave `cpu:` (the runner then gives the stage that many threads, no more)
  memoryMB: number; // default 0 = unaccounted
  gpu: number; // number of GPU slots; default 0
}

/** An input bound to an output of another (expanded) stage. */
export interface OutputRef {
  kind: 'output';
  stage: string; // expanded stage id
  output: string; // output name declared by that stage
}

/** An input bound to a file or directory in the workspace (not produced by the pipeline). */
export interface FileRef {
  kind: 'file';
  path: string; // absolute
}

export type InputRef = OutputRef | FileRef;

/**
 * One named input. `list` is true when the input is a fan-in (a reference to every instance of a matrix
 * stage) or was written as a YAML list; the stage then receives an array of paths in `refs` order.
 */
export interface InputBinding {
  refs: InputRef[];
  list: boolean;
}

export interface OutputDecl {
  path: string; // relative to the stage's fresh output directory; a file or a directory
  publish?: string; // absolute workspace path the committed output is copied to (e.g. results/…/table1.md)
}

export interface StageSpec {
  id: string; // expanded id, e.g. `train_s2[ablation=no_mse,data=hits]`
  baseId: string; // id as written in YAML, e.g. `train_s2`
  matrix: Params; // this instance's matrix values ({} when not a matrix stage)
  kind: 'uses' | 'run';
  uses?: string; // built-in stage name when kind = 'uses'
  /**
   * argv when kind = 'run'. Pipeline-time interpolation (vars, matrix, profiles) is already applied;
   * run-time placeholders remain in the canonical forms `${{ inputs.NAME }}` and `${{ outputs.NAME }}`
   * (references to other stages' outputs were turned into implicit inputs named `_ref0`, `_ref1`, …).
   */
  run?: string[];
  with: Params; // resolved params (for `uses`: validated against the stage's params schema)
  inputs: Record<string, InputBinding>;
  outputs: Record<string, OutputDecl>;
  resources: ResourceRequest;
  cache: boolean; // default true
  retries: number; // default 0
  priority: number; // `priority:`; default 0; higher starts first among ready stages (not part of the fingerprint)
  timeoutMs?: number; // `timeout:`; absent = no limit (not part of the fingerprint)
  env: Record<string, string>; // extra environment for the child process
  tags: Record<string, string>; // tags attached to every metric the stage records (matrix values included)
  pos: SourcePos; // where the stage was defined
}

export interface Pipeline {
  name: string;
  file: string; // absolute path of the top-level YAML file
  rootDir: string; // directory of that file; relative paths in the pipeline resolve against it
  vars: Params; // final vars after profiles and --set
  notice?: string; // printed by `sonic run` before and after running (none or '' = nothing)
  stages: StageSpec[]; // in definition order (matrix instances in expansion order)
}

/** One user-facing problem in a pipeline file. */
export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  message: string;
}
