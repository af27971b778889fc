// Early cutoff: a stage's fingerprint reads the content hashes of the upstream outputs it consumes, not
// the upstream stage's id or fingerprint. Renaming an upstream stage, or rerunning it with byte-identical
// outputs, leaves its dependents cached. Real child processes, a real SQLite store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPipeline, type RunPipelineOptions } from '../../../src/engine/runner/run-pipeline.js';
import { formatPlan } from '../../../src/engine/runner/run-summary.js';
import { catalogOf, file, out, pipeline, stage, TRIVIAL_STAGES_MODULE } from './fixtures/pipeline-builder.js';

const NODE = process.execPath;
const FIRST_LINE = 'const fs=require("fs");fs.writeFileSync(process.argv[2], fs.readFileSync(process.argv[1], "utf8").split("\\n")[0])';
const UPPER = 'const fs=require("fs");fs.writeFileSync(process.argv[2], fs.readFileSync(process.argv[1], "utf8").toUpperCase())';

const options = (dir: string, extra: Partial<RunPipelineOptions> = {}): RunPipelineOptions => ({
  workspace: join(dir, '.sonic'),
  catalog: catalogOf(),
  stageModules: [TRIVIAL_STAGES_MODULE],
  gpus: [],
  ...extra,
});
const statuses = (s: { stages: { stageId: string; status: string }[] }) => Object.fromEntries(s.stages.map((x) => [x.stageId, x.status]));

/** head keeps the first line of src.txt; upper and its dependent read head's output. */
function chain(dir: string, headId = 'head') {
  return pipeline(dir, [
    stage({ id: headId, run: [NODE, '-e', FIRST_LINE, '${{ inputs.src }}', '${{ outputs.o }}'], inputs: { src: file(join(dir, 'src.txt')) }, outputs: { o: 'o.txt' } }),
    stage({ id: 'upper', run: [NODE, '-e', UPPER, '${{ inputs.i }}', '${{ outputs.o }}'], inputs: { i: out(headId, 'o') }, outputs: { o: 'o.txt' } }),
    stage({ id: 'again', run: [NODE, '-e', UPPER, '${{ inputs.i }}', '${{ outputs.o }}'], inputs: { i: out('upper', 'o') }, outputs: { o: 'o.txt' } }),
  ]);
}

test('an upstream rerun with byte-identical outputs leaves its dependents cached; the dry run says they run only if its outputs change', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sonic-cutoff-'));
  try {
    writeFileSync(join(dir, 'src.txt'), 'hello\nfirst comment');
    assert.deepEqual(statuses(await runPipeline(chain(dir), options(dir))), { head: 'succeeded', upper: 'succeeded', again: 'succeeded' });

    writeFileSync(join(dir, 'src.txt'), 'hello\nan edited comment'); // head reruns, its output stays "hello"
    const dry = await runPipeline(chain(dir), options(dir, { dryRun: true }));
    const reasons = Object.fromEntries(dry.plan.map((p) => [p.stage.id, p.reason]));
    assert.equal(reasons.head, 'input changed: src');
    assert.match(reasons.upper!, /^runs if the outputs of head change \(else cached: stage run \d+ of run 1\)$/);
    assert.match(reasons.again!, /^runs if the outputs of upper change /);
    assert.match(formatPlan(dry.plan), /^maybe +upper +runs if the outputs of head change/m);
    assert.match(formatPlan(dry.plan), /1 of 3 stages would run; 2 more if upstream outputs change/);

    const second = await runPipeline(chain(dir), options(dir));
    assert.deepEqual(statuses(second), { head: 'succeeded', upper: 'cached', again: 'cached' });

    writeFileSync(join(dir, 'src.txt'), 'changed\nan edited comment'); // now head's output changes
    const third = await runPipeline(chain(dir), options(dir));
    assert.deepEqual(statuses(third), { head: 'succeeded', upper: 'succeeded', again: 'succeeded' });
    assert.equal(third.stages.find((s) => s.stageId === 'upper')!.reason, 'upstream changed: head');
    assert.equal(readFileSync(third.stages.find((s) => s.stageId === 'again')!.outputs!.o!, 'utf8'), 'CHANGED');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('renaming an upstream stage with identical work keeps it and everything downstream cached', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sonic-rename-'));
  try {
    writeFileSync(join(dir, 'src.txt'), 'hello\n');
    await runPipeline(chain(dir, 'head'), options(dir));
    const renamed = await runPipeline(chain(dir, 'first_line'), options(dir));
    assert.deepEqual(statuses(renamed), { first_line: 'cached', upper: 'cached', again: 'cached' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
