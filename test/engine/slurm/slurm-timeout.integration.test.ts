// A job that outruns its time limit ends as `timeout`. Slurm's smallest limit is one minute and slurmctld
// checks limits about every 30 s, so this test takes 60-95 s. It runs where Slurm is required (CI with
// SONIC_REQUIRE_SLURM=1) or asked for (SONIC_SLURM_TIMEOUT_TEST=1), in its own file so the test runner
// overlaps it with the others; elsewhere it is skipped. The job only sleeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { SlurmExecutor } from '../../../src/engine/exec/slurm/slurm-executor.js';
import { requireSlurm, runJob, sharedTempDir } from './slurm-test-env.js';

test('a job over its time limit ends as timeout', { timeout: 300_000 }, async (t) => {
  if (process.env.SONIC_REQUIRE_SLURM !== '1' && process.env.SONIC_SLURM_TIMEOUT_TEST !== '1') {
    t.skip('slow (60-95 s): set SONIC_SLURM_TIMEOUT_TEST=1 to run it');
    return;
  }
  if (!requireSlurm(t)) return;
  const root = sharedTempDir('sonic-slurm-timeout-');
  try {
    const ex = new SlurmExecutor({ pollIntervalMs: 1000, timeLimit: '1' });
    const handle = await ex.submit(runJob(root, 'sleepy', ['sleep', '600']));
    const started = Date.now();
    let s = await ex.poll(handle);
    while (s.state === 'queued' || s.state === 'running') {
      assert.ok(Date.now() - started < 140_000, `still ${s.state} after 140 s`); // wall-clock: Slurm must stop the 600 s job at its 1-minute limit
      await new Promise((r) => setTimeout(r, 1000));
      s = await ex.poll(handle);
    }
    assert.equal(s.state, 'timeout', s.message);
    assert.match(s.message ?? '', /slurm: TIMEOUT/);
    assert.ok(Date.now() - started >= 55_000, 'ended before its one-minute limit'); // wall-clock: a lower bound, the limit itself
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
