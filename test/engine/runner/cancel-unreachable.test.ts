// Jobs a killed runner left on an executor the new run does not use are cancelled through the executor
// they were recorded under (passed in as otherExecutors), never through one of another name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cancelUnreachableJobs } from '../../../src/engine/runner/reattach.js';
import type { Executor, JobHandle } from '../../../src/engine/exec/executor.js';
import type { StageRunRecord } from '../../../src/engine/store/store-api.js';
import { stageRunFields } from '../store/fixtures.js';

function fakeCluster(name: string, cancelled: string[]): Executor {
  return {
    name,
    submit: () => Promise.reject(new Error('not used')),
    poll: () => Promise.reject(new Error('not used')),
    cancel: async (h: JobHandle) => void cancelled.push(`${h.executor}:${h.jobId}`),
    reattach: (jobId, stageRunDir, executorName) => (executorName === name && /^\d+$/.test(jobId) ? { executor: name, jobId, stageRunDir } : undefined),
  };
}

const record = (id: number, stageId: string, executor: string | null, jobId: string | null): StageRunRecord => ({
  id,
  ...stageRunFields(1, stageId, { executor, jobId, stageRunDir: `/w/runs/1/${stageId}` }),
});

test('dangling jobs of another executor are cancelled through it; reachable, local and unknown ones are not', async () => {
  const cancelled: string[] = [];
  const dangling = [
    record(1, 'a', 'cluster', '101'), // cancelled
    record(2, 'b', 'cluster', '102'), // re-attached by the run's own executor: left alone
    record(3, 'c', 'local', '4242'), // a local pid: recover.ts handles it
    record(4, 'd', 'other', '103'), // no executor of that name given
    record(5, 'e', 'cluster', null), // never got a job id
  ];
  const done = await cancelUnreachableJobs({ danglingStageRuns: () => dangling }, [fakeCluster('cluster', cancelled)], new Set([2]));
  assert.deepEqual(done, ['a (cluster job 101)']);
  assert.deepEqual(cancelled, ['cluster:101']);
});

test('with no other executors nothing is cancelled', async () => {
  assert.deepEqual(await cancelUnreachableJobs({ danglingStageRuns: () => [record(1, 'a', 'cluster', '101')] }, [], new Set()), []);
});
