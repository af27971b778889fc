// SlurmExecutor logic against fake Slurm commands (small shell scripts): no cluster needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SlurmExecutor } from '../../../src/engine/exec/slurm/slurm-executor.js';
import { QueueSnapshot } from '../../../src/engine/exec/slurm/queue-snapshot.js';
import { runJob } from './slurm-test-env.js';

interface FakeSlurm {
  dir: string;
  set(file: 'squeue' | 'scontrol', text: string): void;
  calls(cmd: string): string[];
  executor(extra?: ConstructorParameters<typeof SlurmExecutor>[0]): SlurmExecutor;
}

function fakeSlurm(root: string): FakeSlurm {
  const dir = mkdtempSync(join(root, 'bin-'));
  const script = (name: string, body: string) => {
    const p = join(dir, name);
    writeFileSync(p, `#!/bin/sh\nd=$(dirname "$0")\nprintf '%s\\n' "$*" >> "$d/${name}.calls"\n${body}\n`);
    chmodSync(p, 0o755);
  };
  script('sbatch', 'echo "77;sonic"');
  script('squeue', '[ -f "$d/squeue.fail" ] && { echo "squeue: error: Unable to contact slurm controller" >&2; exit 1; }; cat "$d/squeue.txt" 2>/dev/null; exit 0');
  script('sacct', 'echo "sacct: error: Slurm accounting storage is disabled" >&2; exit 1');
  script('scontrol', '[ -f "$d/scontrol.txt" ] || { echo "slurm_load_jobs error: Invalid job id specified" >&2; exit 1; }; cat "$d/scontrol.txt"');
  script('scancel', 'exit 0');
  const commands = Object.fromEntries(['sbatch', 'squeue', 'sacct', 'scontrol', 'scancel'].map((c) => [c, join(dir, c)]));
  return {
    dir,
    set: (file, text) => writeFileSync(join(dir, `${file}.txt`), text),
    calls: (cmd) => (existsSync(join(dir, `${cmd}.calls`)) ? readFileSync(join(dir, `${cmd}.calls`), 'utf8').trim().split('\n') : []),
    executor: (extra = {}) => new SlurmExecutor({ workerPath: '/w/worker.js', nodePath: '/n/node', nodeArgs: [], commands, ...extra }),
  };
}

test('submit writes job.sbatch, calls sbatch --parsable and parses `ID;cluster`', async () => {
  const root = mkdtempSync(join(tmpdir(), 'sonic-fake-slurm-'));
  try {
    const fake = fakeSlurm(root);
    const job = runJob(root, 'gen[data=hits]', ['true'], { resources: { cpu: 2, memoryMB: 512, gpu: 1 } });
    const handle = await fake.executor({ partition: 'gpu', timeLimit: '10' }).submit(job);
    assert.deepEqual(handle, { executor: 'slurm', jobId: '77', stageRunDir: job.stageRunDir });
    assert.deepEqual(fake.calls('sbatch'), [`--parsable ${join(job.stageRunDir, 'job.sbatch')}`]);
    const script = readFileSync(join(job.stageRunDir, 'job.sbatch'), 'utf8');
    for (const line of ['#SBATCH --cpus-per-task=2', '#SBATCH --mem=512M', '#SBATCH --gres=gpu:1', '#SBATCH --time=10', '#SBATCH --partition=gpu']) {
      assert.ok(script.includes(`${line}\n`), line);
    }
    assert.ok(script.endsWith(`exec /n/node /w/worker.js ${join(job.stageRunDir, 'job.json')}\n`), script);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('poll: one squeue per interval for all jobs; queued -> running -> final from scontrol when sacct is off', async () => {
  const root = mkdtempSync(join(tmpdir(), 'sonic-fake-slurm-'));
  try {
    const fake = fakeSlurm(root);
    const ex = fake.executor({ pollIntervalMs: 60_000, resultGraceMs: 0 });
    const a = ex.reattach('77', runJob(root, 'a', ['true']).stageRunDir)!;
    const b = ex.reattach('78', runJob(root, 'b', ['true']).stageRunDir)!;
    fake.set('squeue', '77|PENDING|Priority\n78|RUNNING|None\n');
    const [sa, sb] = await Promise.all([ex.poll(a), ex.poll(b)]);
    assert.deepEqual(sa, { state: 'queued', message: 'slurm: PENDING (Priority)' });
    assert.deepEqual(sb, { state: 'running', message: 'slurm: RUNNING' });
    fake.set('squeue', '');
    assert.equal((await ex.poll(a)).state, 'queued', 'the cached snapshot is reused within the interval');
    assert.equal(fake.calls('squeue').length, 1);

    const ex2 = fake.executor({ pollIntervalMs: 1, resultGraceMs: 0 });
    const c = ex2.reattach('79', runJob(root, 'c', ['sleep', '9']).stageRunDir)!;
    const d = ex2.reattach('80', runJob(root, 'd', ['true']).stageRunDir)!;
    fake.set('scontrol', 'JobId=79 JobName=sonic-c JobState=TIMEOUT Reason=TimeLimit ExitCode=0:15');
    const sc = await ex2.poll(c);
    assert.equal(sc.state, 'timeout');
    assert.match(sc.message ?? '', /TIMEOUT.*TimeLimit/);
    fake.set('scontrol', 'JobId=80 JobName=sonic-d JobState=OUT_OF_MEMORY Reason=OutOfMemory ExitCode=0:125');
    assert.equal((await ex2.poll(d)).state, 'oom');
    assert.equal(fake.calls('sacct').length, 1, 'sacct is tried once, then scontrol is used');
    assert.equal((await ex2.poll(c)).state, 'timeout', 'a final status is remembered');
    assert.equal(fake.calls('scontrol').length, 2);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a job Slurm reports ended waits up to resultGraceMs for result.json', async () => {
  const root = mkdtempSync(join(tmpdir(), 'sonic-fake-slurm-'));
  try {
    const fake = fakeSlurm(root);
    const ex = fake.executor({ pollIntervalMs: 1, resultGraceMs: 60_000 });
    const dir = runJob(root, 'e', ['true']).stageRunDir;
    const h = ex.reattach('81', dir)!;
    fake.set('squeue', '81|COMPLETED|None\n');
    fake.set('scontrol', 'JobId=81 JobState=COMPLETED Reason=None ExitCode=0:0');
    const waiting = await ex.poll(h);
    assert.deepEqual(waiting, { state: 'running', message: 'slurm: COMPLETED, waiting for result.json' });
    writeFileSync(join(dir, 'result.json'), JSON.stringify({ status: 'succeeded', exitCode: 0, durationMs: 3 }));
    assert.deepEqual(await ex.poll(h), { state: 'succeeded', exitCode: 0, message: 'slurm: COMPLETED (exit 0)' });

    const ex0 = fake.executor({ pollIntervalMs: 1, resultGraceMs: 0 });
    const lost = ex0.reattach('82', runJob(root, 'f', ['true']).stageRunDir)!;
    fake.set('squeue', '');
    rmSync(join(fake.dir, 'scontrol.txt'));
    const s = await ex0.poll(lost);
    assert.equal(s.state, 'failed');
    assert.match(s.message ?? '', /state unknown.*without writing result\.json/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a job squeue missed but scontrol still runs is running, not ended', async () => {
  const root = mkdtempSync(join(tmpdir(), 'sonic-fake-slurm-'));
  try {
    const fake = fakeSlurm(root);
    const ex = fake.executor({ pollIntervalMs: 1, resultGraceMs: 0 });
    const h = ex.reattach('83', runJob(root, 'g', ['true']).stageRunDir)!;
    fake.set('squeue', '');
    fake.set('scontrol', 'JobId=83 JobState=RUNNING Reason=None ExitCode=0:0');
    assert.deepEqual(await ex.poll(h), { state: 'running', message: 'slurm: RUNNING' });
    fake.set('scontrol', 'JobId=83 JobState=CANCELLED Reason=None ExitCode=0:15');
    assert.equal((await ex.poll(h)).state, 'cancelled');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('while squeue is unreachable a job keeps its last known state, until squeueOutageMs', async () => {
  const root = mkdtempSync(join(tmpdir(), 'sonic-fake-slurm-'));
  try {
    const fake = fakeSlurm(root);
    const ex = fake.executor({ pollIntervalMs: 1, squeueOutageMs: 300 });
    const h = ex.reattach('84', runJob(root, 'h', ['true']).stageRunDir)!;
    fake.set('squeue', '84|RUNNING|None\n');
    assert.equal((await ex.poll(h)).state, 'running');
    writeFileSync(join(fake.dir, 'squeue.fail'), '');
    const during = await ex.poll(h);
    assert.equal(during.state, 'running');
    assert.match(during.message ?? '', /Unable to contact slurm controller \(retrying; last known: slurm: RUNNING\)/);
    await new Promise((r) => setTimeout(r, 350));
    await assert.rejects(ex.poll(h), /squeue failed \(exit 1\)/);
    rmSync(join(fake.dir, 'squeue.fail'));
    assert.equal((await ex.poll(h)).state, 'running', 'polling recovers once squeue answers');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a failing squeue is an error, not a state', async () => {
  const snap = new QueueSnapshot(1000, async () => ({ ok: false, exitCode: 1, stdout: '', stderr: 'squeue: error: Unable to contact slurm controller' }));
  await assert.rejects(snap.get(), /squeue failed \(exit 1\): squeue: error: Unable to contact/);
});

test('QueueSnapshot: one call per interval, shared by concurrent callers', async () => {
  let now = 1000;
  let calls = 0;
  const snap = new QueueSnapshot(2000, async () => ({ ok: true, exitCode: 0, stdout: `${++calls}|RUNNING|None\n`, stderr: '' }), () => now);
  const [x, y] = await Promise.all([snap.get(), snap.get()]);
  assert.equal(x, y);
  assert.equal(calls, 1);
  now += 1999;
  await snap.get();
  assert.equal(calls, 1);
  now += 1;
  assert.ok((await snap.get()).jobs.has('2'));
  assert.equal(calls, 2);
});
