import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Executor, JobHandle, JobSpec, JobStatus } from '../../../src/engine/exec/executor.js';
import { ExecutorRouter } from '../../../src/engine/exec/slurm/executor-router.js';
import { parseExecutorConfig } from '../../../src/engine/exec/slurm/slurm-settings.js';

class FakeExecutor implements Executor {
  submitted: string[] = [];
  cancelled: string[] = [];
  polls = 0;
  constructor(readonly name: string, private readonly finalAfter = 2) {}
  async submit(job: JobSpec): Promise<JobHandle> {
    this.submitted.push(job.stageId);
    return { executor: this.name, jobId: `${this.name}-${job.stageId}`, stageRunDir: job.stageRunDir };
  }
  async poll(): Promise<JobStatus> {
    return ++this.polls >= this.finalAfter ? { state: 'succeeded', exitCode: 0 } : { state: 'running' };
  }
  async cancel(handle: JobHandle): Promise<void> {
    this.cancelled.push(handle.jobId);
  }
}

const spec = (stageId: string): JobSpec => ({
  stageId,
  stageRunDir: `/ws/${stageId}`,
  kind: 'uses',
  env: {},
  resources: { cpu: 1, memoryMB: 0, gpu: 0 },
  gpus: [],
  logPath: `/ws/${stageId}/log.txt`,
});

const config = parseExecutorConfig('executor:\n  default: local\n  stages:\n    "train_*": slurm\n', '/ws/sonic.config.yaml');

test('stages go to the configured executor; poll, cancel and wait go back to the owner', async () => {
  const local = new FakeExecutor('local');
  const slurm = new FakeExecutor('slurm', 3);
  const router = new ExecutorRouter({ config, executors: { local, slurm }, stages: [{ id: 'fit[k=1]', baseId: 'train_fit' }], waitPollMs: 1 });
  const a = await router.submit(spec('train_s2[data=hits]'));
  const b = await router.submit(spec('table'));
  const c = await router.submit(spec('fit[k=1]'));
  assert.deepEqual(slurm.submitted, ['train_s2[data=hits]', 'fit[k=1]']);
  assert.deepEqual(local.submitted, ['table']);
  assert.equal(a.executor, 'slurm');
  assert.equal(b.executor, 'local');
  await router.cancel(c);
  assert.deepEqual(slurm.cancelled, ['slurm-fit[k=1]']);
  assert.deepEqual(await router.wait(a), { state: 'succeeded', exitCode: 0 });
  assert.equal(slurm.polls, 3, 'wait polls an executor without its own wait');
  assert.equal((await router.poll(b)).state, 'running');
  assert.equal(router.byName('slurm'), slurm);
});

test('a configured executor that is not provided is an error naming the config file', () => {
  assert.throws(() => new ExecutorRouter({ config, executors: { local: new FakeExecutor('local') } }), /executor `slurm` is configured \(chosen in \/ws\/sonic\.config\.yaml\) but not available/);
  const router = new ExecutorRouter({ config, executors: { local: new FakeExecutor('local'), slurm: new FakeExecutor('slurm') } });
  assert.throws(() => router.poll({ executor: 'k8s', jobId: '1', stageRunDir: '/x' }), /no executor named `k8s`/);
});
