// Pages of a run (or stage) still running reload themselves; finished ones do not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openRunStore } from '../../../../src/engine/store/run-store.js';
import { runPage } from '../../../../src/engine/report/ui/run-page.js';
import { stageRunPage } from '../../../../src/engine/report/ui/stage-run-page.js';
import { newRun, stageRunFields, tempDir } from '../../store/fixtures.js';

test('a running run and its running stage reload every 5 s; once finished they stop', async () => {
  const { dir, cleanup } = tempDir('sonic-ui-live-');
  try {
    const store = openRunStore(join(dir, '.sonic'));
    const run = newRun(store);
    const sr = store.insertStageRun({ ...stageRunFields(run.id, 'train'), status: 'running' });
    const refresh = /<meta http-equiv="refresh" content="5">/;
    assert.match((await runPage(store, run.id))!, refresh);
    assert.match((await stageRunPage(store, sr.id))!, refresh);
    store.updateStageRun(sr.id, { status: 'failed', error: 'boom' });
    store.finishRun(run.id, 'failed');
    assert.doesNotMatch((await runPage(store, run.id))!, refresh);
    assert.doesNotMatch((await stageRunPage(store, sr.id))!, refresh);
    assert.equal(await runPage(store, run.id + 1), undefined);
    store.close();
  } finally {
    cleanup();
  }
});
