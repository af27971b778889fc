import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResourcePool, ResourceRequestTooLarge } from '../../../src/engine/exec/resource-pool.js';
import { acquireWorkspaceLock, WorkspaceLockedError } from '../../../src/engine/runner/workspace-lock.js';
import { safeStageDirName } from '../../../src/engine/runner/stage-job.js';

test('resource pool hands out specific GPU ids and waits for cpu', async () => {
  const pool = new ResourcePool({ cpus: 2, memoryMB: 1000, gpus: [0, 1] });
  const a = await pool.acquire({ cpu: 1, memoryMB: 600, gpu: 1 });
  const b = await pool.acquire({ cpu: 1, memoryMB: 0, gpu: 1 });
  assert.deepEqual([a.gpus, b.gpus], [[0], [1]]);
  let cGranted = false;
  const c = pool.acquire({ cpu: 1, memoryMB: 500, gpu: 1 }).then((g) => ((cGranted = true), g));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(cGranted, false);
  b.release();
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(cGranted, false, 'memory still held by a');
  a.release();
  assert.deepEqual((await c).gpus, [0]);
  await assert.rejects(pool.acquire({ cpu: 3, memoryMB: 0, gpu: 0 }), ResourceRequestTooLarge);
  assert.equal(pool.exceeds({ cpu: 1, memoryMB: 2000, gpu: 3 }), 'memory 2000MB > --memory 1000MB, gpu 3 > 2 available GPUs (0,1)');
});

test('workspace lock: exclusive, stale lock of a dead pid is taken over', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'sonic-lock-'));
  try {
    const lock = await acquireWorkspaceLock(ws);
    const info = JSON.parse(readFileSync(lock.path, 'utf8'));
    assert.equal(info.pid, process.pid);
    await assert.rejects(acquireWorkspaceLock(ws), (e: unknown) => e instanceof WorkspaceLockedError && e.message.includes(`locked by pid ${process.pid}`));
    lock.release();
    assert.ok(!existsSync(join(ws, 'lock')));

    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(ws, 'lock'), JSON.stringify({ pid: Number(dead.stdout), host: hostname(), startedAt: '2020-01-01T00:00:00.000Z' }));
    const notices: string[] = [];
    const taken = await acquireWorkspaceLock(ws, { notice: (m) => notices.push(m) });
    assert.match(notices[0]!, /taking over stale lock of dead pid \d+/);
    taken.release();
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

test('stage dir names are safe and distinct', () => {
  assert.equal(safeStageDirName('plain_id'), 'plain_id');
  const m = safeStageDirName('train[a=1,b=x/y]');
  assert.match(m, /^train_a=1_b=x_y_-[0-9a-f]{8}$/);
  assert.notEqual(m, safeStageDirName('train[a=1,b=x_y]'));
});
