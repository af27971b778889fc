// The stage worker runs `run` jobs too (cluster executors start the worker, not the command).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKER_PATH } from '../../../src/engine/exec/local-executor.js';
import { writeJobFile } from '../../../src/engine/exec/job-files.js';
import type { JobResult } from '../../../src/engine/exec/job-protocol.js';

function runWorker(argv: string[], env: Record<string, string> = {}): { result: JobResult; status: number | null; stdout: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sonic-worker-run-'));
  try {
    writeJobFile(dir, {
      protocol: 1,
      stageId: 'cmd',
      kind: 'run',
      stageModules: [],
      argv,
      params: {},
      inputs: {},
      outputs: {},
      workDir: join(dir, 'work'),
      gpus: [],
      env,
      tags: {},
    });
    const r = spawnSync(process.execPath, [WORKER_PATH, join(dir, 'job.json')], { encoding: 'utf8' });
    return { result: JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as JobResult, status: r.status, stdout: r.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a run job that exits 0 succeeds; it runs in the stage-run dir with the job env', () => {
  const r = runWorker(['sh', '-c', 'echo "$GREETING from $(basename "$PWD")"'], { GREETING: 'hi' });
  assert.equal(r.result.status, 'succeeded');
  assert.equal(r.result.exitCode, 0);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^hi from sonic-worker-run-/);
});

test('a run job that exits non-zero or cannot start fails with the reason', () => {
  const failed = runWorker(['sh', '-c', 'exit 4']);
  assert.deepEqual([failed.result.status, failed.result.exitCode, failed.result.error], ['failed', 4, 'command exited with code 4']);
  assert.equal(failed.status, 4);
  const missing = runWorker(['/no/such/command']);
  assert.equal(missing.result.status, 'failed');
  assert.match(missing.result.error ?? '', /command could not start: .*ENOENT/);
});
