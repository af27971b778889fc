// Worker entry point for `uses` stages (and for `run` stages when a cluster executor starts the worker):
// `node stage-worker.js <job.json>`. Imports the stage modules named
// in the job, runs the stage with a StageContext that appends to events.jsonl, and writes result.json
// atomically. stdout/stderr are the stage's log (the executor points them at log.txt).
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StageContext, StageDefinition, StageModuleExports } from '../stage/stage-definition.js';
import type { RunRecord } from '../stage/run-record.js';
import { appendStageEvent, jobPaths, readJobFile, writeJobResult } from './job-files.js';
import type { JobFile, JobResult } from './job-protocol.js';
import { runCommandJob } from './worker-run-command.js';

const PROGRESS_INTERVAL_MS = 100;

export function moduleUrl(spec: string): string {
  return isAbsolute(spec) ? pathToFileURL(spec).href : spec;
}

export async function findStage(modules: string[], name: string): Promise<StageDefinition | undefined> {
  for (const m of modules) {
    const mod = (await import(moduleUrl(m))) as Partial<StageModuleExports> & { default?: Partial<StageModuleExports> };
    const stages = mod.stages ?? mod.default?.stages ?? [];
    const def = stages.find((s) => s.name === name);
    if (def) return def;
  }
  return undefined;
}

function makeContext(job: JobFile, stageRunDir: string, params: unknown, signal: AbortSignal): StageContext {
  const events = jobPaths(stageRunDir).events;
  let lastProgress = 0;
  return {
    stageId: job.stageId,
    params,
    inputs: job.inputs,
    outputs: job.outputs,
    workDir: job.workDir,
    gpus: job.gpus,
    signal,
    log(message) {
      process.stdout.write(`${message}\n`);
      appendStageEvent(events, { t: Date.now(), type: 'log', message });
    },
    progress(done, total, label) {
      const now = Date.now();
      if (done < total && now - lastProgress < PROGRESS_INTERVAL_MS) return;
      lastProgress = now;
      appendStageEvent(events, { t: now, type: 'progress', done, total, ...(label !== undefined ? { label } : {}) });
    },
    metric(name, value, options) {
      if (!Number.isFinite(value)) throw new Error(`metric ${name}: value must be a finite number, got ${value}`);
      appendStageEvent(events, {
        t: Date.now(),
        type: 'metric',
        name,
        value,
        ...(options?.step !== undefined ? { step: options.step } : {}),
        ...(options?.tags ? { tags: options.tags } : {}),
      });
    },
    runRecord() {
      if (job.runRecord === undefined) throw new Error(`stage ${job.stageId} reads the run record but its definition does not declare readsRunRecord`);
      return JSON.parse(readFileSync(job.runRecord, 'utf8')) as RunRecord;
    },
  };
}

async function runJob(jobPath: string): Promise<number> {
  const started = Date.now();
  const job = readJobFile(jobPath);
  const stageRunDir = dirname(jobPath);
  const finish = (status: JobResult['status'], exitCode: number, error?: string): number => {
    writeJobResult(stageRunDir, { status, exitCode, durationMs: Date.now() - started, ...(error ? { error } : {}) });
    return exitCode;
  };
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  if (job.kind === 'run') {
    const verdict = await runCommandJob(job, stageRunDir, controller.signal);
    return finish(verdict.status, verdict.exitCode ?? 1, verdict.error);
  }
  let def: StageDefinition | undefined;
  try {
    def = job.uses ? await findStage(job.stageModules, job.uses) : undefined;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return finish('failed', 1, `cannot load stage modules: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!def) return finish('failed', 1, `unknown stage "${job.uses}" (modules: ${job.stageModules.join(', ') || 'none'})`);
  const parsed = def.params.safeParse(job.params);
  if (!parsed.success) return finish('failed', 1, `invalid params for ${def.name}: ${parsed.error.message}`);
  try {
    await def.run(makeContext(job, stageRunDir, parsed.data, controller.signal));
  } catch (err) {
    if (controller.signal.aborted) return finish('interrupted', 130, 'interrupted');
    const msg = err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`${msg}\n`);
    return finish('failed', 1, err instanceof Error ? err.message : String(err));
  }
  if (controller.signal.aborted) return finish('interrupted', 130, 'interrupted');
  return finish('succeeded', 0);
}

function invokedDirectly(): boolean {
  try {
    return process.argv[1] !== undefined && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url;
  } catch {
    return false;
  }
}

const jobArg = process.argv[2];
if (jobArg && invokedDirectly()) {
  runJob(jobArg).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`stage worker: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
