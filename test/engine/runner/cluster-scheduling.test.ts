// Stages whose executor allocates their resources (a cluster such as Slurm) bypass the runner's local
// cpu/memory/GPU budget and core-based concurrency; --jobs still caps how many are submitted at once. The
// stage run records the executor that really ran it, also behind the per-stage router.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPipeline, type RunPipelineOptions } from '../../../src/engine/runner/run-pipeline.js';
import { openRunStore } from '../../../src/engine/store/run-store.js';
import type { Executor, JobHandle, JobSpec, JobStatus } from '../../../src/engine/exec/executor.js';
import { LocalExecutor } from '../../../src/engine/exec/local-executor.js';
import { ExecutorRouter } from '../../../src/engine/exec/slurm/executor-router.js';
import { catalogOf, pipeline, stage, TRIVIAL_STAGES_MODULE } from './fixtures/pipeline-builder.js';

/** Runs jobs locally but claims, like Slurm, to allocate their resources; counts jobs active at once. */
class FakeCluster implements Executor {
  readonly name = 'fake-cluster';
  private readonly local = new LocalExecutor({ killGraceMs: 2000 });
  active = 0;
  maxActive = 0;
  gpusSeen: number[][] = [];

  allocatesResources(): boolean {
    return true;
  }
  async submit(job: JobSpec): Promise<JobHandle> {
    this.gpusSeen.push(job.gpus);
    const h = await this.local.submit(job);
    this.active += 1;
    this.maxActive = Math.max(this.maxActive, this.active);
    return { ...h, executor: this.name };
  }
  poll(h: JobHandle): Promise<JobStatus> {
    return this.local.poll({ ...h, executor: 'local' });
  }
  cancel(h: JobHandle): Promise<void> {
    return this.local.cancel({ ...h, executor: 'local' });
  }
  async wait(h: JobHandle): Promise<JobStatus> {
    try {
      return await this.local.wait({ ...h, executor: 'local' });
    } finally {
      this.active -= 1;
    }
  }
}

function options(dir: string, extra: Partial<RunPipelineOptions>): RunPipelineOptions {
  return { workspace: join(dir, '.sonic'), catalog: catalogOf(), stageModules: [TRIVIAL_STAGES_MODULE], gpus: [], cpus: 1, memoryMB: 1000, ...extra };
}

test('a GPU stage routed to a cluster executor runs from a GPU-less host, and records the real executor', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sonic-cluster-'));
  try {
    const cluster = new FakeCluster();
    const router = new ExecutorRouter({
      config: { default: 'local', slurm: {}, stages: [{ pattern: 'train', executor: 'slurm' }] },
      executors: { local: new LocalExecutor({ killGraceMs: 2000 }), slurm: cluster },
    });
    const p = pipeline(dir, [
      stage({ id: 'train', uses: 'test/sleep', with: { ms: 10 }, outputs: { done: 'd' }, resources: { gpu: 2, cpu: 32, memoryMB: 500_000 } }),
      stage({ id: 'prep', uses: 'test/sleep', with: { ms: 10 }, outputs: { done: 'd' } }),
    ]);
    const r = await runPipeline(p, options(dir, { executor: router }));
    assert.equal(r.status, 'succeeded', JSON.stringify(r.stages));
    assert.deepEqual(cluster.gpusSeen, [[]], 'no local GPU ids handed to a cluster job');
    assert.match(readFileSync(r.stages.find((s) => s.stageId === 'train')!.outputs!.done!, 'utf8'), /^gpus= /);
    const store = openRunStore(join(dir, '.sonic'), { readonly: true });
    try {
      const executors = Object.fromEntries(store.stageRunsOf(r.runId!).map((s) => [s.stageId, s.executor]));
      assert.deepEqual(executors, { train: 'fake-cluster', prep: 'local' });
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cluster jobs are not capped by local cores; --jobs caps how many are submitted at once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sonic-cluster-'));
  try {
    const stages = Array.from({ length: 5 }, (_, i) => stage({ id: `s${i}`, uses: 'test/sleep', with: { ms: 1500 }, outputs: { done: 'd' } }));
    const free = new FakeCluster();
    const r1 = await runPipeline(pipeline(dir, stages), options(dir, { executor: free, cpus: 1 }));
    assert.equal(r1.status, 'succeeded');
    assert.ok(free.maxActive >= 3, `with --cpus 1, ${free.maxActive} cluster jobs ran at once`);

    const capped = new FakeCluster();
    const r2 = await runPipeline(pipeline(dir, stages), options(dir, { executor: capped, cpus: 1, jobs: 2, force: ['s0', 's1', 's2', 's3', 's4'] }));
    assert.equal(r2.status, 'succeeded');
    assert.equal(capped.maxActive, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
