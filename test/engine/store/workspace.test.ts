import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRunStore } from '../../../src/engine/store/run-store.js';
import { gcWorkspace, openWorkspace, resolveWorkspaceDir } from '../../../src/engine/store/workspace.js';
import { WorkspaceMissingError } from '../../../src/engine/store/errors.js';
import { newRun, stageRunFields, tempDir } from './fixtures.js';

test('openWorkspace creates the layout; create:false on a missing one names it', () => {
  const { dir, cleanup } = tempDir();
  try {
    assert.throws(() => openWorkspace(join(dir, '.sonic'), { create: false }), WorkspaceMissingError);
    const ws = openWorkspace(join(dir, '.sonic'));
    for (const d of [ws.objectsDir, ws.runsDir, ws.tmpDir]) assert.ok(existsSync(d), d);
    assert.equal(ws.dbPath, join(dir, '.sonic', 'sonic.db'));
  } finally {
    cleanup();
  }
});

test('resolveWorkspaceDir: flag, then SONIC_WORKSPACE, then <cwd>/.sonic', () => {
  assert.equal(resolveWorkspaceDir('ws', { SONIC_WORKSPACE: '/env' }, '/cwd'), '/cwd/ws');
  assert.equal(resolveWorkspaceDir(undefined, { SONIC_WORKSPACE: '/env' }, '/cwd'), '/env');
  assert.equal(resolveWorkspaceDir(undefined, {}, '/cwd'), '/cwd/.sonic');
});

test('gcWorkspace keeps referenced objects, removes the rest and stale tmp entries; refuses during a live run', async () => {
  const { dir, cleanup } = tempDir();
  const ws = openWorkspace(dir);
  const store = openRunStore(dir);
  try {
    writeFileSync(join(dir, 'a'), 'referenced');
    writeFileSync(join(dir, 'b'), 'orphan');
    const a = await ws.objects.ingest(join(dir, 'a'));
    const b = await ws.objects.ingest(join(dir, 'b'));
    const run = newRun(store);
    const sr = store.insertStageRun(stageRunFields(run.id, 's'));
    store.commitStageRun(sr.id, {
      artifacts: [{ name: 'out', hash: a.hash, size: a.size, type: a.type, objectPath: a.objectPath }],
      metrics: [],
      params: {},
      finishedAt: new Date().toISOString(),
      durationMs: 1,
      exitCode: 0,
    });
    mkdirSync(join(ws.tmpDir, 'old'));
    writeFileSync(join(ws.tmpDir, 'old', 'f'), '1234');
    const past = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    utimesSync(join(ws.tmpDir, 'old'), past, past);
    mkdirSync(join(ws.tmpDir, 'fresh'));

    // a run marked running by a live process on this host (this test process) blocks gc
    const live = store.beginRun({ pipelineName: 'p', pipelineFile: 'f', argv: [], targets: [], host: (await import('node:os')).hostname(), pid: process.pid });
    await assert.rejects(gcWorkspace(ws, store), /in progress/);
    store.finishRun(live.id, 'interrupted');
    store.finishRun(run.id, 'succeeded');

    const dry = await gcWorkspace(ws, store, { dryRun: true });
    assert.deepEqual([dry.objectsRemoved, dry.objectHashes, dry.tempsRemoved], [1, [b.hash], [join(ws.tmpDir, 'old')]]);
    assert.equal(await ws.objects.has(b.hash), true);
    const res = await gcWorkspace(ws, store);
    assert.deepEqual([res.objectsRemoved, res.objectBytes, res.tempBytes], [1, 6, 4]);
    assert.equal(await ws.objects.has(a.hash), true);
    assert.equal(await ws.objects.has(b.hash), false);
    assert.equal(existsSync(join(ws.tmpDir, 'old')), false);
    assert.equal(existsSync(join(ws.tmpDir, 'fresh')), true);
  } finally {
    store.close();
    cleanup();
  }
});
