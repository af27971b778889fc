// End-to-end tests of the `sonic` CLI on small YAML pipelines: real processes, kill -9, SIGINT, the lock.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRunStore } from '../../../src/engine/store/run-store.js';

const MAIN = fileURLToPath(new URL('../../../src/cli/main.js', import.meta.url));
const STAGES = fileURLToPath(new URL('./fixtures/trivial-stages.js', import.meta.url));
const NODE = process.execPath;
// Waits until the marker file exists, then writes its output: a stage the test finishes on demand.
const WAIT_FOR_MARKER =
  'const fs=require("fs");const [out,marker]=process.argv.slice(1);(function w(){if(fs.existsSync(marker))fs.writeFileSync(out,"ok");else setTimeout(w,25)})()';

interface Done {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const spawned = new Set<ChildProcess>();
const strayPids = new Set<number>();
after(async () => {
  // a failed assertion must not leave runners or stage processes behind (SIGTERM lets a runner stop its stages)
  const alive = [...spawned].filter((c) => c.exitCode === null && c.signalCode === null);
  for (const c of alive) c.kill('SIGTERM');
  await Promise.race([Promise.all(alive.map((c) => new Promise((r) => c.once('close', r)))), new Promise((r) => setTimeout(r, 3000))]);
  for (const c of alive) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const pid of strayPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

function start(cwd: string, args: string[]): { child: ChildProcess; done: Promise<Done> } {
  const child = spawn(NODE, [MAIN, ...args], { cwd, env: { ...process.env, SONIC_STAGE_MODULES: STAGES }, stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<Done>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

const sonic = (cwd: string, ...args: string[]) => start(cwd, args).done;

async function until(what: string, cond: () => boolean, timeoutMs = 15_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function project(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sonic-cli-'));
  writeFileSync(join(dir, 'package.json'), '{}');
  writeFileSync(join(dir, 'p.yaml'), yaml);
  return dir;
}

/** first (quick) -> after; gate waits for the marker file; all under one pipeline. */
function gatedPipeline(dir: string): string {
  return `version: 1
name: gated
stages:
  first:
    uses: test/write-text
    with: {text: "2 3"}
    outputs: {text: a.txt}
  gate:
    run: [${JSON.stringify(NODE)}, "-e", ${JSON.stringify(WAIT_FOR_MARKER)}, "\${{ outputs.done }}", ${JSON.stringify(join(dir, 'marker'))}]
    outputs: {done: done.txt}
  after:
    uses: test/sum-numbers
    with: {scale: 2}
    inputs: {numbers: ["\${{ stages.first.outputs.text }}"]}
    outputs: {sum: {path: sum.txt, publish: results/sum.txt}}
`;
}

function stageRuns(dir: string): { stageId: string; status: string; runId: number; jobId: string | null }[] {
  const store = openRunStore(join(dir, '.sonic'), { readonly: true });
  try {
    return store.runs().reverse().flatMap((r) => store.stageRunsOf(r.id).map((s) => ({ stageId: s.stageId, status: s.status, runId: r.id, jobId: s.jobId })));
  } finally {
    store.close();
  }
}

/** Alive and not a zombie (a container's pid 1 may never reap re-parented children). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const gateStarted = (dir: string) => existsSync(join(dir, '.sonic', 'runs', '1', 'gate', 'job.json'));

test('sonic --help, run --help, usage and config errors exit 2 without a stack trace', async () => {
  const dir = project('version: 1\nstages:\n  a:\n    uses: test/write-text\n    with: {txt: 1}\n    outputs: {text: t}\n');
  try {
    const help = await sonic(dir, '--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /run .*\n.*status .*\n.*dag /);
    const runHelp = await sonic(dir, 'run', '--help');
    assert.match(runHelp.stdout, /usage: sonic run PIPELINE \[TARGET…\]/);
    const unknown = await sonic(dir, 'frobnicate');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
    const badFlag = await sonic(dir, 'run', 'p.yaml', '--jobs', 'many');
    assert.equal(badFlag.code, 2);
    assert.match(badFlag.stderr, /--jobs expects a positive integer/);
    const config = await sonic(dir, 'run', 'p.yaml');
    assert.equal(config.code, 2);
    assert.match(config.stderr, /p\.yaml:\d+:\d+: /);
    assert.doesNotMatch(config.stderr, /\n\s+at /);
    const missing = await sonic(dir, 'run', 'nope.yaml');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /pipeline file not found: nope\.yaml/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('run --executor: an unknown executor and a bad sonic.config.yaml exit 2 naming the problem; --executor local overrides the config', async () => {
  const dir = project('version: 1\nstages:\n  a:\n    uses: test/write-text\n    with: {text: hi}\n    outputs: {text: t}\n');
  try {
    const unknown = await sonic(dir, 'run', 'p.yaml', '--executor', 'kubernetes');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /sonic run: unknown executor "kubernetes" \(available: local, slurm\)/);
    writeFileSync(join(dir, 'sonic.config.yaml'), 'executor:\n  default: slurm\n  slurm:\n    timeLimit: "soon"\n');
    const bad = await sonic(dir, 'run', 'p.yaml');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /sonic\.config\.yaml:4:16: executor\.slurm\.timeLimit: expected a Slurm time/);
    assert.doesNotMatch(bad.stderr, /\n\s+at /);
    writeFileSync(join(dir, 'sonic.config.yaml'), 'executor:\n  default: slurm\n');
    const local = await sonic(dir, 'run', 'p.yaml', '--executor', 'local', '--no-progress');
    assert.equal(local.code, 0, local.stderr);
    const store = openRunStore(join(dir, '.sonic'), { readonly: true });
    try {
      assert.deepEqual(store.stageRunsOf(store.runs(1)[0]!.id).map((s) => s.executor), ['local']);
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('kill -9 of the runner mid-stage, then rerun: completed stages reused, the interrupted one rerun', async () => {
  const dir = project('');
  try {
    writeFileSync(join(dir, 'p.yaml'), gatedPipeline(dir));
    const first = start(dir, ['run', 'p.yaml', '--jobs', '1', '--no-progress']);
    await until('gate to start', () => gateStarted(dir));
    await until('gate process recorded', () => stageRuns(dir).some((s) => s.stageId === 'gate' && s.jobId !== null));
    const orphan = Number(stageRuns(dir).find((s) => s.stageId === 'gate')!.jobId);
    strayPids.add(orphan);
    assert.ok(stageRuns(dir).some((s) => s.stageId === 'first' && s.status === 'succeeded'));
    first.child.kill('SIGKILL');
    await first.done;
    assert.ok(running(orphan), 'the stage process outlives the killed runner');

    const resumed = start(dir, ['run', 'p.yaml', '--no-progress']);
    let stderr = '';
    resumed.child.stderr!.on('data', (d) => (stderr += d));
    await until('recovery notice', () => stderr.includes('a previous runner died'));
    assert.ok(!existsSync(join(dir, 'marker')));
    await until('the orphaned stage process to stop', () => !running(orphan), 2000);
    writeFileSync(join(dir, 'marker'), '');
    const second = await resumed.done;
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /a previous runner died; marked interrupted: gate; stopped its orphaned stage process \d+/);
    const runs = stageRuns(dir);
    assert.deepEqual(
      runs.filter((s) => s.runId === 1).map((s) => [s.stageId, s.status]),
      [['first', 'succeeded'], ['gate', 'interrupted']],
    );
    assert.deepEqual(
      runs.filter((s) => s.runId === 2).map((s) => [s.stageId, s.status]).sort(),
      [['after', 'succeeded'], ['first', 'cached'], ['gate', 'succeeded']],
    );
    assert.equal(readFileSync(join(dir, 'results', 'sum.txt'), 'utf8'), '10');
    const store = openRunStore(join(dir, '.sonic'), { readonly: true });
    try {
      assert.deepEqual(store.runs().map((r) => r.status), ['succeeded', 'interrupted']);
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a second concurrent run fails with the lock message, or waits with --wait; the store stays intact', async () => {
  const dir = project('');
  try {
    writeFileSync(join(dir, 'p.yaml'), gatedPipeline(dir));
    const first = start(dir, ['run', 'p.yaml', '--no-progress']);
    await until('gate to start', () => gateStarted(dir));
    const second = await sonic(dir, 'run', 'p.yaml');
    assert.equal(second.code, 2);
    assert.match(second.stderr, /workspace .*\.sonic is locked by pid \d+ \(started [0-9T:.-]+Z\); use --wait to wait/);
    const waiting = start(dir, ['run', 'p.yaml', '--wait', '--no-progress']);
    await new Promise((r) => setTimeout(r, 300));
    writeFileSync(join(dir, 'marker'), '');
    const [a, b] = await Promise.all([first.done, waiting.done]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.match(b.stdout, /run 2 succeeded .*0 ran, 3 cached/);
    assert.equal(stageRuns(dir).length, 6);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SIGINT stops a built-in stage inside a long synchronous loop at its next yield point: interrupted, exit 130, recorded by the worker itself', async () => {
  // 20 ms steps for ~33 minutes: only the yield point between steps lets the worker see SIGTERM before SIGKILL (10 s)
  const dir = project('version: 1\nstages:\n  spin:\n    uses: test/busy-loop\n    with: {steps: 100000, stepMs: 20}\n    outputs: {result: {path: result.txt, publish: results/result.txt}}\n');
  try {
    const stageDir = join(dir, '.sonic', 'runs', '1', 'spin');
    const run = start(dir, ['run', 'p.yaml', '--no-progress']);
    await until('the loop to start', () => existsSync(join(stageDir, 'log.txt')) && readFileSync(join(stageDir, 'log.txt'), 'utf8').includes('busy loop started'));
    await new Promise((r) => setTimeout(r, 300)); // a few steps in
    run.child.kill('SIGINT');
    const r = await run.done;
    assert.equal(r.code, 130, r.stderr);
    // a worker stopped by SIGKILL after the grace could not have written result.json
    const result = JSON.parse(readFileSync(join(stageDir, 'result.json'), 'utf8')) as { status: string; exitCode: number };
    assert.deepEqual([result.status, result.exitCode], ['interrupted', 130], 'the worker itself recorded the interruption');
    assert.deepEqual(stageRuns(dir).map((s) => [s.stageId, s.status]), [['spin', 'interrupted']]);
    assert.ok(!existsSync(join(dir, 'results', 'result.txt')), 'the half-written output is not published');
    const dry = await sonic(dir, 'run', 'p.yaml', '--dry-run');
    assert.match(dry.stdout, /run +spin +never ran/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SIGINT interrupts running stages, records them interrupted and exits 130', async () => {
  const dir = project('');
  try {
    writeFileSync(join(dir, 'p.yaml'), gatedPipeline(dir));
    const run = start(dir, ['run', 'p.yaml', '--no-progress', '--jobs', '1']);
    await until('gate to start', () => gateStarted(dir));
    run.child.kill('SIGINT');
    const r = await run.done;
    assert.equal(r.code, 130, r.stderr);
    const gate = stageRuns(dir).find((s) => s.stageId === 'gate')!;
    assert.equal(gate.status, 'interrupted');
    assert.match(r.stdout, /run 1 interrupted/);
    assert.ok(!existsSync(join(dir, '.sonic', 'lock')), 'lock released');

    const dry = await sonic(dir, 'run', 'p.yaml', '--dry-run');
    assert.equal(dry.code, 0);
    assert.match(dry.stdout, /run +gate +never ran/);
    const status = await sonic(dir, 'status', 'p.yaml');
    assert.match(status.stdout, /first +succeeded \(run 1\) +run 1, \S+ +up to date/);
    assert.match(status.stdout, /gate +interrupted \(run 1\) +never +would run: never ran/);
    const dag = await sonic(dir, 'dag', 'p.yaml');
    assert.match(dag.stdout, /^first  \(test\/write-text\)\n└─ after  \(test\/sum-numbers\)\ngate  \(run: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('status after a rename: the renamed stage is up to date and names the run it reuses, not "never"', async () => {
  const pipeline = (id: string) => `version: 1
name: renamed
stages:
  ${id}:
    uses: test/write-text
    with: {text: "2 3"}
    outputs: {text: a.txt}
`;
  const dir = project(pipeline('first'));
  try {
    assert.equal((await sonic(dir, 'run', 'p.yaml', '--no-progress')).code, 0);
    writeFileSync(join(dir, 'p.yaml'), pipeline('first_renamed'));
    const status = await sonic(dir, 'status', 'p.yaml');
    assert.match(status.stdout, /first_renamed +- +run 1, \S+ +up to date/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
