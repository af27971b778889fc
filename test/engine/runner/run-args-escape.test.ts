// Regression: the runner expands `run:` arguments with the loader's expander, so the documented `$${{`
// escape reaches the command as a literal `${{` (a second copy of the expander used to ignore it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPipeline } from '../../../src/engine/runner/run-pipeline.js';
import { catalogOf, pipeline, stage, TRIVIAL_STAGES_MODULE } from './fixtures/pipeline-builder.js';

const WRITE_ARG = 'require("fs").writeFileSync(process.argv[2], process.argv[1])';

test('a $${{ escape in run: reaches the command as a literal ${{', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sonic-escape-'));
  try {
    const p = pipeline(dir, [stage({ id: 'echo', run: [process.execPath, '-e', WRITE_ARG, 'price: $${{ not.a.placeholder }}', '${{ outputs.o }}'], outputs: { o: 'o.txt' } })]);
    const summary = await runPipeline(p, { workspace: join(dir, '.sonic'), catalog: catalogOf(), stageModules: [TRIVIAL_STAGES_MODULE], gpus: [] });
    assert.equal(summary.status, 'succeeded', summary.stages[0]?.error);
    assert.equal(readFileSync(summary.stages[0]!.outputs!.o!, 'utf8'), 'price: ${{ not.a.placeholder }}');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
