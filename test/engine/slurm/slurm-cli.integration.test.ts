// `sonic run --executor slurm` end to end on a real cluster: a runner killed with SIGKILL while its Slurm
// job runs is restarted and re-attaches to that job (no second sbatch), also when the job finished while
// no runner was alive; Ctrl-C cancels the run's Slurm jobs.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRunStore } from '../../../src/engine/store/run-store.js';
import type { StageRunRecord } from '../../../src/engine/store/store-api.js';
import { requireSlurm, sharedTempDir } from './slurm-test-env.js';

const MAIN = fileURLToPath(new URL('../../../src/cli/main.js', import.meta.url));
// Waits until the marker file exists, then writes its output: a stage the test finishes on demand.
const WAIT_FOR_MARKER =
  'const fs=require("fs");const [out,marker]=process.argv.slice(1);(function w(){if(fs.existsSync(marker))fs.writeFileSync(out,"ok");else setTimeout(w,50)})()';

interface Done {
  code: number | null;
  stdout: string;
  stderr: string;
}

const spawned = new Set<ChildProcess>();
const jobIds = new Set<string>();
after(() => {
  for (const c of spawned) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (jobIds.size > 0) spawnSync('scancel', [...jobIds]);
});

/** Cancels whatever Slurm jobs the project's runs recorded (a failed assertion must not leave jobs behind). */
function cleanup(dir: string): void {
  const ids = stageRuns(dir).flatMap((s) => (s.jobId !== null ? [s.jobId] : []));
  if (ids.length > 0) spawnSync('scancel', ids);
  rmSync(dir, { recursive: true, force: true });
}

/** A project dir whose PATH puts an sbatch wrapper first that counts its calls, and the gated pipeline. */
function project(stageIds: string[]): { dir: string; env: NodeJS.ProcessEnv; sbatchCalls: () => number } {
  const dir = sharedTempDir('sonic-slurm-cli-');
  const real = spawnSync('sh', ['-c', 'command -v sbatch'], { encoding: 'utf8' }).stdout.trim();
  const shim = join(dir, 'shim');
  mkdirSync(shim);
  const calls = join(dir, 'sbatch-calls');
  writeFileSync(join(shim, 'sbatch'), `#!/bin/sh\necho call >> '${calls}'\nexec '${real}' "$@"\n`);
  chmodSync(join(shim, 'sbatch'), 0o755);
  writeFileSync(join(dir, 'package.json'), '{}');
  const lines = ['version: 1', 'name: slurm-cli', 'stages:'];
  for (const id of stageIds) {
    lines.push(`  ${id}:`, `    run: ${JSON.stringify([process.execPath, '-e', WAIT_FOR_MARKER, '${{ outputs.o }}', join(dir, `marker-${id}`)])}`, '    outputs: {o: o.txt}');
  }
  writeFileSync(join(dir, 'p.yaml'), `${lines.join('\n')}\n`);
  const env = { ...process.env, PATH: `${shim}:${process.env.PATH ?? ''}` };
  const sbatchCalls = () => (existsSync(calls) ? readFileSync(calls, 'utf8').split('\n').filter((l) => l !== '').length : 0);
  return { dir, env, sbatchCalls };
}

function start(dir: string, env: NodeJS.ProcessEnv, args: string[]): { child: ChildProcess; done: Promise<Done>; stderr: () => string } {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<Done>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done, stderr: () => stderr };
}

const RUN = ['run', 'p.yaml', '--executor', 'slurm', '--no-progress'];

function stageRuns(dir: string): StageRunRecord[] {
  if (!existsSync(join(dir, '.sonic', 'runs.db')) && !existsSync(join(dir, '.sonic'))) return [];
  try {
    const store = openRunStore(join(dir, '.sonic'), { readonly: true });
    try {
      return store.runs().flatMap((r) => store.stageRunsOf(r.id));
    } finally {
      store.close();
    }
  } catch {
    return []; // not created yet
  }
}

async function until<T>(what: string, get: () => T | undefined | false, timeoutMs = 150_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = get();
    if (v !== undefined && v !== false) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function slurmState(jobId: string): string {
  const r = spawnSync('scontrol', ['show', 'job', '-o', jobId], { encoding: 'utf8' });
  return /JobState=(\S+)/.exec(r.stdout)?.[1] ?? 'UNKNOWN';
}

/** Starts a slurm run and SIGKILLs it once its job for `stage` is submitted; returns the job's record. */
async function killRunnerWhileJobRuns(dir: string, env: NodeJS.ProcessEnv, stage: string): Promise<StageRunRecord> {
  const first = start(dir, env, RUN);
  const rec = await until('the Slurm job id to be recorded', () => stageRuns(dir).find((s) => s.stageId === stage && s.jobId !== null));
  jobIds.add(rec.jobId!);
  assert.equal(rec.executor, 'slurm');
  first.child.kill('SIGKILL');
  await first.done;
  assert.ok(['PENDING', 'CONFIGURING', 'RUNNING'].includes(slurmState(rec.jobId!)), `the job outlives the killed runner (${slurmState(rec.jobId!)})`);
  return rec;
}

function assertCollected(dir: string, rec: StageRunRecord): void {
  const all = stageRuns(dir).filter((s) => s.stageId === rec.stageId);
  const original = all.find((s) => s.id === rec.id)!;
  assert.equal(original.status, 'succeeded', JSON.stringify(original));
  const later = all.filter((s) => s.runId > rec.runId);
  assert.equal(later.length, 1, JSON.stringify(later));
  assert.equal(later[0]!.status, 'cached');
  assert.equal(later[0]!.reusedFrom, rec.id);
  assert.equal(later[0]!.jobId, rec.jobId, 'the same Slurm job is recorded, not a new one');
  const store = openRunStore(join(dir, '.sonic'), { readonly: true });
  try {
    const [artifact] = store.artifactsOf(rec.id);
    assert.equal(readFileSync(artifact!.objectPath, 'utf8'), 'ok');
  } finally {
    store.close();
  }
}

test('a runner killed with SIGKILL while its Slurm job runs: the rerun re-attaches to the job instead of resubmitting it', { timeout: 300_000 }, async (t) => {
  if (!requireSlurm(t)) return;
  const { dir, env, sbatchCalls } = project(['w']);
  try {
    const rec = await killRunnerWhileJobRuns(dir, env, 'w');
    const second = start(dir, env, RUN);
    await until('the rerun to re-attach', () => second.stderr().includes('re-attaching'));
    writeFileSync(join(dir, 'marker-w'), '');
    const done = await second.done;
    assert.equal(done.code, 0, done.stderr + done.stdout);
    assert.equal(sbatchCalls(), 1, 'one sbatch in all');
    assertCollected(dir, rec);
  } finally {
    cleanup(dir);
  }
});

test('a Slurm job that finished while no runner was alive is collected by the next run, not rerun', { timeout: 300_000 }, async (t) => {
  if (!requireSlurm(t)) return;
  const { dir, env, sbatchCalls } = project(['w']);
  try {
    const rec = await killRunnerWhileJobRuns(dir, env, 'w');
    writeFileSync(join(dir, 'marker-w'), '');
    await until('the job to finish', () => existsSync(join(rec.stageRunDir!, 'result.json')));
    const done = await start(dir, env, RUN).done;
    assert.equal(done.code, 0, done.stderr + done.stdout);
    assert.equal(sbatchCalls(), 1, 'one sbatch in all');
    assertCollected(dir, rec);
  } finally {
    cleanup(dir);
  }
});

test('Ctrl-C of a Slurm run cancels its job (scancel) and ends the run interrupted', { timeout: 300_000 }, async (t) => {
  if (!requireSlurm(t)) return;
  // one job: a second would fill this one-node test cluster and make concurrent Slurm tests skip
  const { dir, env } = project(['a']);
  try {
    const run = start(dir, env, RUN);
    const rec = await until('the Slurm job to be submitted', () => stageRuns(dir).find((s) => s.jobId !== null));
    jobIds.add(rec.jobId!);
    await until('the job to start', () => slurmState(rec.jobId!) === 'RUNNING', 30_000);
    run.child.kill('SIGINT');
    const done = await run.done;
    assert.equal(done.code, 130, done.stderr);
    const state = await until(`job ${rec.jobId} to end`, () => {
      const s = slurmState(rec.jobId!);
      return ['PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING'].includes(s) ? undefined : s;
    }, 30_000);
    assert.equal(state, 'CANCELLED', `job ${rec.jobId}`);
    assert.deepEqual(stageRuns(dir).map((s) => s.status), ['interrupted']);
  } finally {
    cleanup(dir);
  }
});

test('a leftover Slurm job whose stage changed meanwhile is cancelled, and the stage is submitted anew', { timeout: 300_000 }, async (t) => {
  if (!requireSlurm(t)) return;
  const { dir, env, sbatchCalls } = project(['w']);
  try {
    const rec = await killRunnerWhileJobRuns(dir, env, 'w');
    writeFileSync(join(dir, 'p.yaml'), readFileSync(join(dir, 'p.yaml'), 'utf8').replace('outputs: {o: o.txt}', 'outputs: {o: changed.txt}'));
    const second = start(dir, env, RUN);
    await until('the old job to be cancelled', () => second.stderr().includes('cancelled job'));
    writeFileSync(join(dir, 'marker-w'), ''); // lets the new job finish
    const done = await second.done;
    assert.equal(done.code, 0, done.stderr + done.stdout);
    assert.match(done.stderr, /cancelled job .*w \(slurm job/);
    assert.equal(sbatchCalls(), 2);
    const old = stageRuns(dir).find((s) => s.id === rec.id)!;
    assert.equal(old.status, 'interrupted');
    assert.match(old.error ?? '', /cancelled slurm job/);
    const state = await until('the old job to end', () => (['PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING'].includes(slurmState(rec.jobId!)) ? undefined : slurmState(rec.jobId!)), 30_000);
    assert.equal(state, 'CANCELLED');
  } finally {
    cleanup(dir);
  }
});

test('a leftover Slurm job is cancelled when the rerun uses the local executor, which cannot re-attach to it', { timeout: 300_000 }, async (t) => {
  if (!requireSlurm(t)) return;
  const { dir, env } = project(['w']);
  try {
    const rec = await killRunnerWhileJobRuns(dir, env, 'w');
    const local = start(dir, env, ['run', 'p.yaml', '--executor', 'local', '--no-progress']);
    await until('the old job to be cancelled', () => /cancelled job .* on another executor, .*w \(slurm job \d+\)/.test(local.stderr()));
    writeFileSync(join(dir, 'marker-w'), ''); // lets the local rerun of the stage finish
    const done = await local.done;
    assert.equal(done.code, 0, done.stderr + done.stdout);
    const state = await until('the old job to end', () => (['PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING'].includes(slurmState(rec.jobId!)) ? undefined : slurmState(rec.jobId!)), 30_000);
    assert.equal(state, 'CANCELLED');
    assert.equal(stageRuns(dir).find((s) => s.id === rec.id)!.status, 'interrupted');
  } finally {
    cleanup(dir);
  }
});
