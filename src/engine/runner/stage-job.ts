// Prepares one attempt of a stage: its fresh stage-run directory, resolved inputs/outputs, argv and env,
// and the job.json the worker reads.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { StageSpec } from '../config/pipeline-model.js';
import { expandRunArgs } from '../config/run-args.js';
import type { JobSpec } from '../exec/executor.js';
import { jobPaths, writeJobFile } from '../exec/job-files.js';
import type { JobFile } from '../exec/job-protocol.js';

export class StagePreparationError extends Error {}

/** A directory name for a stage id: readable, filesystem-safe, and distinct for distinct ids. */
export function safeStageDirName(stageId: string): string {
  const safe = stageId.replace(/[^A-Za-z0-9._=+-]/g, '_').slice(0, 120);
  if (safe === stageId) return safe;
  return `${safe}-${createHash('sha256').update(stageId).digest('hex').slice(0, 8)}`;
}

export interface PreparedJob {
  stageRunDir: string;
  logPath: string;
  eventsPath: string;
  inputs: Record<string, string | string[]>;
  outputs: Record<string, string>;
  spec: JobSpec;
}

/** The stage's argv with run-time placeholders expanded (the loader's one expander, `$${{` escape included). */
function expandArgv(stage: StageSpec, inputs: Record<string, string | string[]>, outputs: Record<string, string>): string[] {
  try {
    return expandRunArgs(stage.run ?? [], inputs, outputs);
  } catch (err) {
    throw new StagePreparationError(`stage ${stage.id}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function prepareJob(args: {
  stage: StageSpec;
  stageRunDir: string;
  upstreamOutputs: (stageId: string) => Record<string, string>;
  stageModules: string[];
  gpus: number[];
  logLimitBytes?: number;
  /** More environment for the job (the runner's thread share); the stage's own `env:` is set first. */
  extraEnv?: Record<string, string>;
  /** Writes the run record into the stage-run directory and returns its path (stages declaring readsRunRecord). */
  runRecord?: (stageRunDir: string) => string;
}): PreparedJob {
  const { stage, stageRunDir, gpus } = args;
  const paths = jobPaths(stageRunDir);
  mkdirSync(paths.out, { recursive: true });
  mkdirSync(paths.work, { recursive: true });

  const inputs: Record<string, string | string[]> = {};
  for (const [name, binding] of Object.entries(stage.inputs)) {
    const resolved = binding.refs.map((ref) => {
      if (ref.kind === 'file') return ref.path;
      const path = args.upstreamOutputs(ref.stage)[ref.output];
      if (path === undefined) throw new StagePreparationError(`stage ${stage.id}: output ${ref.stage}.${ref.output} is not available`);
      return path;
    });
    inputs[name] = binding.list ? resolved : (resolved[0] ?? '');
  }
  const outputs: Record<string, string> = {};
  for (const [name, decl] of Object.entries(stage.outputs)) {
    const p = join(paths.out, decl.path);
    mkdirSync(dirname(p), { recursive: true });
    outputs[name] = p;
  }
  const env: Record<string, string> = {
    ...stage.env,
    ...args.extraEnv,
    SONIC_EVENTS: paths.events,
    SONIC_OUTPUT_DIR: paths.out,
    SONIC_WORK_DIR: paths.work,
    SONIC_STAGE_ID: stage.id,
    SONIC_STAGE_RUN_DIR: stageRunDir,
    CUDA_VISIBLE_DEVICES: gpus.join(','),
  };
  const argv = stage.kind === 'run' ? expandArgv(stage, inputs, outputs) : undefined;
  if (argv !== undefined && argv.length === 0) throw new StagePreparationError(`stage ${stage.id}: run: is empty`);
  const job: JobFile = {
    protocol: 1,
    stageId: stage.id,
    kind: stage.kind,
    ...(stage.uses !== undefined ? { uses: stage.uses } : {}),
    stageModules: args.stageModules,
    ...(argv ? { argv } : {}),
    params: stage.with,
    inputs,
    outputs,
    workDir: paths.work,
    gpus,
    env,
    tags: stage.tags,
    ...(args.runRecord ? { runRecord: args.runRecord(stageRunDir) } : {}),
  };
  writeJobFile(stageRunDir, job);
  return {
    stageRunDir,
    logPath: paths.log,
    eventsPath: paths.events,
    inputs,
    outputs,
    spec: {
      stageId: stage.id,
      stageRunDir,
      kind: stage.kind,
      ...(argv ? { argv } : {}),
      env,
      resources: stage.resources,
      gpus,
      logPath: paths.log,
      ...(stage.timeoutMs !== undefined ? { timeoutMs: stage.timeoutMs } : {}),
      ...(args.logLimitBytes !== undefined ? { logLimitBytes: args.logLimitBytes } : {}),
    },
  };
}
