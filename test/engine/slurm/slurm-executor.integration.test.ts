// Runs real jobs through a running Slurm (scripts/slurm/start-one-node-cluster.sh). Skipped without one,
// unless CI=true and SONIC_REQUIRE_SLURM=1, where a missing cluster fails the tests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Executor, JobHandle, JobStatus } from '../../../src/engine/exec/executor.js';
import { SlurmExecutor, type SlurmExecutorSettings } from '../../../src/engine/exec/slurm/slurm-executor.js';
import { requireSlurm, runJob, sharedTempDir } from './slurm-test-env.js';

let root = '';
before(() => {
  root = sharedTempDir('sonic-slurm-');
});
after(() => {
  rmSync(root, { recursive: true, force: true });
});

function executor(extra: SlurmExecutorSettings = {}): SlurmExecutor {
  return new SlurmExecutor({ pollIntervalMs: 300, resultGraceMs: 1000, ...extra });
}

async function waitFor(ex: Executor, handle: JobHandle, done: (s: JobStatus) => boolean, timeoutMs = 150_000): Promise<JobStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await ex.poll(handle);
    if (done(s)) return s;
    if (Date.now() > deadline) throw new Error(`job ${handle.jobId} still ${s.state} (${s.message ?? ''}) after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
const ended = (s: JobStatus) => s.state !== 'queued' && s.state !== 'running';

test('a run job succeeds through sbatch and the worker; files land in the stage run dir', async (t) => {
  if (!requireSlurm(t)) return;
  const ex = executor();
  const job = runJob(root, 'hello', [
    'sh',
    '-c',
    'echo "on $(hostname)"; echo 42 > out/answer.txt; echo \'{"t":1,"type":"metric","name":"answer","value":42}\' >> "$SONIC_EVENTS"',
  ]);
  const handle = await ex.submit(job);
  assert.match(handle.jobId, /^\d+$/);
  assert.equal(handle.executor, 'slurm');
  const s = await waitFor(ex, handle, ended);
  assert.equal(s.state, 'succeeded', s.message);
  assert.equal(s.exitCode, 0);
  assert.match(s.message ?? '', /slurm: COMPLETED/);
  assert.equal(readFileSync(join(job.stageRunDir, 'out', 'answer.txt'), 'utf8'), '42\n');
  assert.match(readFileSync(job.logPath, 'utf8'), /^on \S+/m);
  assert.match(readFileSync(join(job.stageRunDir, 'events.jsonl'), 'utf8'), /"name":"answer","value":42/);
  assert.match(readFileSync(join(job.stageRunDir, 'job.sbatch'), 'utf8'), /^#SBATCH --job-name=sonic-hello$/m);
});

test('a failing job is failed, with its exit code and the Slurm state', async (t) => {
  if (!requireSlurm(t)) return;
  const ex = executor();
  const handle = await ex.submit(runJob(root, 'fails', ['sh', '-c', 'echo boom >&2; exit 3']));
  const s = await waitFor(ex, handle, ended);
  assert.equal(s.state, 'failed');
  assert.equal(s.exitCode, 3);
  assert.match(s.message ?? '', /command exited with code 3 \[slurm: FAILED/);
});

test('a job whose worker never starts fails and points at the missing result.json', async (t) => {
  if (!requireSlurm(t)) return;
  const ex = executor({ workerPath: join(root, 'no-such-worker.js') });
  const job = runJob(root, 'no-worker', ['true']);
  const s = await waitFor(ex, await ex.submit(job), ended);
  assert.equal(s.state, 'failed');
  assert.match(s.message ?? '', /without writing result\.json/);
  assert.match(readFileSync(job.logPath, 'utf8'), /Cannot find module/);
});

test('a queued job is reported queued with its reason, and cancel ends it as cancelled', async (t) => {
  if (!requireSlurm(t)) return;
  const ex = executor({ extraArgs: ['--begin=now+3600'] });
  const handle = await ex.submit(runJob(root, 'later', ['true']));
  const queued = await waitFor(ex, handle, (s) => s.message !== 'slurm: submitted');
  assert.equal(queued.state, 'queued');
  assert.match(queued.message ?? '', /PENDING \(BeginTime\)/);
  await ex.cancel(handle);
  const s = await waitFor(ex, handle, ended);
  assert.equal(s.state, 'cancelled', s.message);
  assert.match(s.message ?? '', /CANCELLED/);
  await ex.cancel(handle); // cancelling an ended job is harmless
});

test('a new executor instance re-attaches to a running job and sees it finish', async (t) => {
  if (!requireSlurm(t)) return;
  const first = executor();
  const job = runJob(root, 'long', ['sh', '-c', 'sleep 3; echo finished > out/done.txt']);
  const submitted = await first.submit(job);
  await waitFor(first, submitted, (s) => s.state === 'running');

  const second = executor();
  assert.equal(second.reattach('not-a-job-id', job.stageRunDir), undefined);
  const handle = second.reattach(submitted.jobId, job.stageRunDir);
  assert.deepEqual(handle, submitted);
  assert.equal((await second.poll(handle!)).state, 'running');
  const s = await waitFor(second, handle!, ended);
  assert.equal(s.state, 'succeeded', s.message);
  assert.ok(existsSync(join(job.stageRunDir, 'out', 'done.txt')));
});

test('after the submitting process is killed with SIGKILL, a new executor re-attaches and collects the result', async (t) => {
  if (!requireSlurm(t)) return;
  const job = runJob(root, 'orphan', ['sh', '-c', 'sleep 2; echo done > out/orphan.txt']);
  const submitter = spawn(process.execPath, [fileURLToPath(new URL('./fixtures/submit-and-hang.js', import.meta.url)), JSON.stringify(job)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    submitter.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
    });
    submitter.on('exit', (code) => reject(new Error(`submitter exited early (${code})`)));
  });
  const recorded = JSON.parse(line) as JobHandle;
  const died = new Promise((r) => submitter.on('exit', r));
  submitter.kill('SIGKILL');
  await died;

  const ex = executor();
  const handle = ex.reattach(recorded.jobId, recorded.stageRunDir)!;
  const s = await waitFor(ex, handle, ended);
  assert.equal(s.state, 'succeeded', s.message);
  assert.equal(readFileSync(join(job.stageRunDir, 'out', 'orphan.txt'), 'utf8'), 'done\n');
});

test('sbatch refusals surface as errors naming the stage and Slurm’s reason', async (t) => {
  if (!requireSlurm(t)) return;
  const ex = executor({ partition: 'no_such_partition' });
  await assert.rejects(ex.submit(runJob(root, 'nowhere', ['true'])), /sbatch refused stage nowhere .*invalid partition/i);
  await assert.rejects(executor().submit({ ...runJob(root, 'x', ['true']), stageRunDir: join(root, 'missing') }), /job\.json does not exist/);
});
