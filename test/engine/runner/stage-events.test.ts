// The one builder of `stage-finished`: every field comes from the stage's summary; error and willRetry
// appear only when set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stageFinishedEvent } from '../../../src/engine/runner/stage-events.js';
import type { StageSummary } from '../../../src/engine/runner/run-summary.js';

const base: StageSummary = { stageId: 'train[lr=0.1]', status: 'succeeded', reason: 'new', stageRunId: 7, attempt: 2, logPath: '/w/runs/1/log.txt', durationMs: 1234, gpus: [0], outputs: { o: '/w/objects/x' } };

test('a succeeded stage: ids, status, reason, duration and log path, nothing else', () => {
  assert.deepEqual(stageFinishedEvent(base, false, 99), {
    type: 'stage-finished',
    t: 99,
    stageId: 'train[lr=0.1]',
    stageRunId: 7,
    status: 'succeeded',
    reason: 'new',
    durationMs: 1234,
    logPath: '/w/runs/1/log.txt',
  });
});

test('a failed attempt carries its error, and willRetry when another attempt follows', () => {
  const failed: StageSummary = { ...base, status: 'failed', error: 'exit code 3' };
  assert.deepEqual(stageFinishedEvent(failed, true, 1), { ...stageFinishedEvent(failed, false, 1), willRetry: true });
  assert.equal(stageFinishedEvent(failed, false, 1).error, 'exit code 3');
  assert.equal('willRetry' in stageFinishedEvent(failed, false, 1), false);
});

test('skipped and cached stages: null duration, log path as recorded', () => {
  const skipped: StageSummary = { stageId: 's', status: 'skipped', reason: 'upstream failed: a', stageRunId: 3, attempt: 1, logPath: null, durationMs: null };
  assert.deepEqual(stageFinishedEvent(skipped, false, 5), { type: 'stage-finished', t: 5, stageId: 's', stageRunId: 3, status: 'skipped', reason: 'upstream failed: a', durationMs: null, logPath: null });
});
