// Re-attaching after the runner was killed, on an executor that can re-attach (a file-based stand-in for
// Slurm, so this runs without a cluster; test/engine/slurm/slurm-cli.integration.test.ts does the same
// against real Slurm): a job still running or already finished is collected, not submitted again; a job
// whose stage changed is cancelled and the stage submitted anew.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPipeline } from '../../../src/engine/runner/run-pipeline.js';
import { openRunStore } from '../../../src/engine/store/run-store.js';
import type { StageRunRecord } from '../../../src/engine/store/store-api.js';
import { FileJobExecutor, fileJobLog, finishFileJob } from './fixtures/file-job-executor.js';
import { fileJobPipeline } from './fixtures/file-job-runner.js';

const RUNNER = fileURLToPath(new URL('./fixtures/file-job-runner.js', import.meta.url));

function stageRuns(dir: string): StageRunRecord[] {
  if (!existsSync(join(dir, '.sonic', 'sonic.db'))) return [];
  let store;
  try {
    store = openRunStore(join(dir, '.sonic'), { readonly: true });
  } catch {
    return []; // the runner is creating the database right now
  }
  try {
    return store.runs().flatMap((r) => store.stageRunsOf(r.id));
  } finally {
    store.close();
  }
}

async function until<T>(what: string, get: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = get();
    if (v !== undefined && v !== false) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Runs the pipeline in a child runner and SIGKILLs it once its job is submitted; returns the job's stage run. */
async function killRunnerAfterSubmit(dir: string, outputPath: string): Promise<StageRunRecord> {
  const child = spawn(process.execPath, [RUNNER, dir, outputPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    return await until('the job id to be recorded', () => stageRuns(dir).find((s) => s.jobId !== null));
  } finally {
    child.kill('SIGKILL');
    await once(child, 'close');
  }
}

function rerun(dir: string, outputPath: string, notices: string[]) {
  return runPipeline(fileJobPipeline(dir, outputPath), {
    workspace: join(dir, '.sonic'),
    executor: new FileJobExecutor(dir),
    gpus: [],
    notice: (m) => notices.push(m),
  });
}

async function assertCollected(dir: string, rec: StageRunRecord, run: ReturnType<typeof rerun>, notices: string[]): Promise<void> {
  const summary = await run;
  assert.equal(summary.status, 'succeeded', JSON.stringify(summary.stages));
  assert.match(summary.stages[0]!.reason, /^re-attached to file-job job 1 \(run 1, never ran\)$/);
  assert.ok(notices.some((n) => /re-attaching to job .*train \(file-job job 1\)/.test(n)), notices.join('\n'));
  assert.deepEqual(fileJobLog(dir).map((l) => l.split(' ').slice(0, 2).join(' ')), ['submit 1'], 'submitted once, never cancelled');
  const rows = stageRuns(dir);
  const original = rows.find((s) => s.id === rec.id)!;
  assert.equal(original.status, 'succeeded');
  const later = rows.filter((s) => s.runId === summary.runId);
  assert.equal(later.length, 1);
  assert.equal(later[0]!.status, 'cached');
  assert.equal(later[0]!.reusedFrom, rec.id);
  assert.equal(later[0]!.jobId, '1');
  const store = openRunStore(join(dir, '.sonic'), { readonly: true });
  try {
    assert.equal(readFileSync(store.artifactsOf(rec.id)[0]!.objectPath, 'utf8'), 'weights');
    assert.equal(store.runs().find((r) => r.id === rec.runId)!.status, 'interrupted', 'the dead run is closed');
  } finally {
    store.close();
  }
}

test('a job still running when the killed runner is restarted is re-attached to and committed, not resubmitted', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sonic-reattach-'));
  try {
    const rec = await killRunnerAfterSubmit(dir, 'model.bin');
    const notices: string[] = [];
    const run = rerun(dir, 'model.bin', notices);
    await until('the rerun to re-attach', () => notices.some((n) => n.includes('re-attaching')));
    finishFileJob(rec.stageRunDir!, 'weights');
    await assertCollected(dir, rec, run, notices);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a job that finished while no runner was alive is collected by the next run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sonic-reattach-'));
  try {
    const rec = await killRunnerAfterSubmit(dir, 'model.bin');
    finishFileJob(rec.stageRunDir!, 'weights');
    const notices: string[] = [];
    await assertCollected(dir, rec, rerun(dir, 'model.bin', notices), notices);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a leftover job whose stage changed is cancelled and recorded interrupted; the stage is submitted anew', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sonic-reattach-'));
  try {
    const rec = await killRunnerAfterSubmit(dir, 'model.bin');
    const notices: string[] = [];
    const run = rerun(dir, 'model-v2.bin', notices); // another output path: another fingerprint
    const second = await until('the stage to be submitted again', () => fileJobLog(dir).find((l) => l.startsWith('submit 2 ')));
    finishFileJob(second.split(' ')[3]!, 'weights v2');
    const summary = await run;
    assert.equal(summary.status, 'succeeded');
    assert.deepEqual(fileJobLog(dir).map((l) => l.split(' ').slice(0, 2).join(' ')), ['submit 1', 'cancel 1', 'submit 2']);
    const old = stageRuns(dir).find((s) => s.id === rec.id)!;
    assert.equal(old.status, 'interrupted');
    assert.match(old.error ?? '', /cancelled file-job job 1: its stage is not planned to run with the same fingerprint/);
    assert.ok(notices.some((n) => /cancelled job .*train \(file-job job 1\)/.test(n)), notices.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
