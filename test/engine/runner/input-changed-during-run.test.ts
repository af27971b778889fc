// Regression: an input edited while its stage runs must not be cached under the content it had when the
// stage was planned. Real child processes, a real SQLite store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPipeline } from '../../../src/engine/runner/run-pipeline.js';
import { openRunStore } from '../../../src/engine/store/run-store.js';
import { catalogOf, file, pipeline, stage, TRIVIAL_STAGES_MODULE } from './fixtures/pipeline-builder.js';

// While mutate.flag exists the command overwrites its own input with "v9" before reading it, standing in
// for a user or another process editing the file during the run.
const READ = 'const fs=require("fs");const [i,o,flag]=process.argv.slice(1);if(fs.existsSync(flag))fs.writeFileSync(i,"v9");fs.writeFileSync(o,fs.readFileSync(i))';

test('an input edited during the run fails the stage, naming the file, and nothing is cached under the old content', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sonic-recheck-'));
  try {
    const data = join(dir, 'data.txt');
    const flag = join(dir, 'mutate.flag');
    const p = pipeline(dir, [stage({ id: 'read', run: [process.execPath, '-e', READ, '${{ inputs.src }}', '${{ outputs.o }}', flag], inputs: { src: file(data) }, outputs: { o: 'o.txt' } })]);
    const opts = { workspace: join(dir, '.sonic'), catalog: catalogOf(), stageModules: [TRIVIAL_STAGES_MODULE], gpus: [] };
    writeFileSync(data, 'v1');
    writeFileSync(flag, '');

    const first = await runPipeline(p, opts);
    assert.equal(first.status, 'failed');
    assert.equal(first.stages[0]!.status, 'failed');
    assert.match(first.stages[0]!.error ?? '', new RegExp(`input ${data.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} changed while the stage ran`));
    const store = openRunStore(join(dir, '.sonic'), { readonly: true });
    try {
      assert.deepEqual(store.query("SELECT count(*) AS n FROM stage_runs WHERE status = 'succeeded'"), [{ n: 0 }]);
      assert.deepEqual(store.query('SELECT count(*) AS n FROM artifacts'), [{ n: 0 }]);
    } finally {
      store.close();
    }

    rmSync(flag);
    writeFileSync(data, 'v1'); // back to the planned content: must run, not serve v9 from the cache
    const second = await runPipeline(p, opts);
    assert.equal(second.stages[0]!.status, 'succeeded');
    assert.equal(readFileSync(second.stages[0]!.outputs!.o!, 'utf8'), 'v1');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
