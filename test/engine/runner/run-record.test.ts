// The run record a stage declaring readsRunRecord is handed: its upstream stages (not the others), their
// timing and metrics, and on a later run the stage runs that actually executed (cached ones resolve).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPipeline } from '../../../src/engine/runner/run-pipeline.js';
import { upstreamStageIds } from '../../../src/engine/runner/run-record.js';
import type { RunRecord } from '../../../src/engine/stage/run-record.js';
import { catalogOf, out, pipeline, stage, TRIVIAL_STAGES_MODULE } from './fixtures/pipeline-builder.js';

function build(dir: string) {
  return pipeline(dir, [
    stage({ id: 'a', uses: 'test/write-text', with: { text: '1 2' }, outputs: { text: 'a.txt' } }),
    stage({ id: 'b', uses: 'test/sum-numbers', with: { scale: 2 }, inputs: { numbers: out('a', 'text', true) }, outputs: { sum: 'sum.txt' } }),
    stage({ id: 'other', uses: 'test/write-text', with: { text: 'x' }, outputs: { text: 'o.txt' } }),
    stage({ id: 'report', uses: 'test/read-run-record', inputs: { upstream: out('b', 'sum', true) }, outputs: { record: 'record.json' } }),
  ]);
}

test('upstreamStageIds: transitive inputs in pipeline order, not the stage itself or unrelated stages', () => {
  const p = build('/tmp/unused');
  assert.deepEqual(upstreamStageIds(p.stages, 'report'), ['a', 'b']);
  assert.deepEqual(upstreamStageIds(p.stages, 'a'), []);
});

test('a readsRunRecord stage gets its upstream stage runs with timing and metrics; cached ones resolve to their source', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sonic-run-record-'));
  try {
    const options = { workspace: join(dir, '.sonic'), catalog: catalogOf(), stageModules: [TRIVIAL_STAGES_MODULE], gpus: [] };
    const first = await runPipeline(build(dir), options);
    assert.equal(first.status, 'succeeded');
    const read = (s: typeof first) => JSON.parse(readFileSync(s.stages.find((x) => x.stageId === 'report')!.outputs!.record!, 'utf8')) as RunRecord;
    const rec = read(first);
    assert.equal(rec.run.id, first.runId);
    assert.deepEqual(rec.stages.map((s) => [s.stageId, s.status]), [['a', 'succeeded'], ['b', 'succeeded']]);
    const b = rec.stages[1]!;
    assert.ok(b.startedAt !== null && b.finishedAt !== null && Date.parse(b.finishedAt) >= Date.parse(b.startedAt));
    assert.deepEqual(b.metrics.map((m) => [m.name, m.value, m.step]).sort(), [['files', 1, 0], ['sum', 6, null]]);
    assert.equal(b.uses, 'test/sum-numbers');
    assert.ok(rec.run.commit === null || /^[0-9a-f]{40}$/.test(rec.run.commit));

    const second = await runPipeline(build(dir), { ...options, force: ['report'] });
    const rec2 = read(second);
    assert.equal(rec2.run.id, second.runId);
    assert.deepEqual(rec2.stages.map((s) => [s.stageId, s.status, s.runId]), [['a', 'cached', first.runId], ['b', 'cached', first.runId]]);
    assert.equal(rec2.stages[1]!.stageRunId, b.stageRunId);
    assert.deepEqual(rec2.stages[1]!.metrics, b.metrics);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
