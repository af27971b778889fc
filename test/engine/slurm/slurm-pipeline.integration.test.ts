// A whole pipeline through the SlurmExecutor: a diamond of `uses` and `run` stages, each one a Slurm job
// running the engine's stage worker. Outputs, metrics and artifacts must land in SQLite exactly as with the
// local executor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runPipeline, type RunPipelineOptions } from '../../../src/engine/runner/run-pipeline.js';
import { openRunStore } from '../../../src/engine/store/run-store.js';
import type { Pipeline } from '../../../src/engine/config/pipeline-model.js';
import { SlurmExecutor } from '../../../src/engine/exec/slurm/slurm-executor.js';
import { LocalExecutor } from '../../../src/engine/exec/local-executor.js';
import { ExecutorRouter } from '../../../src/engine/exec/slurm/executor-router.js';
import { loadExecutorConfig } from '../../../src/engine/exec/slurm/slurm-settings.js';
import { catalogOf, out, outs, pipeline, stage, TRIVIAL_STAGES_MODULE } from '../runner/fixtures/pipeline-builder.js';
import { requireSlurm, sharedTempDir } from './slurm-test-env.js';

const COPY = 'require("fs").copyFileSync(process.argv[1], process.argv[2])';

function diamond(dir: string): Pipeline {
  return pipeline(dir, [
    stage({ id: 'a', uses: 'test/write-text', with: { text: '1 2 3' }, outputs: { text: 'a.txt' } }),
    stage({ id: 'b', uses: 'test/sum-numbers', with: { scale: 2 }, inputs: { numbers: out('a', 'text', true) }, outputs: { sum: 'sum.txt' } }),
    stage({ id: 'c', run: [process.execPath, '-e', COPY, '${{ inputs.src }}', '${{ outputs.copy }}'], inputs: { src: out('a', 'text') }, outputs: { copy: 'copy.txt' } }),
    stage({
      id: 'd',
      uses: 'test/sum-numbers',
      with: { scale: 1 },
      inputs: { numbers: outs([['b', 'sum'], ['c', 'copy']]) },
      outputs: { sum: { path: 'total.txt', publish: join(dir, 'results', 'total.txt') } },
      tags: { exp: 'diamond' },
    }),
  ]);
}

function options(dir: string, extra: Partial<RunPipelineOptions> = {}): RunPipelineOptions {
  return { workspace: join(dir, '.sonic'), catalog: catalogOf(), stageModules: [TRIVIAL_STAGES_MODULE], gpus: [], ...extra };
}

interface Recorded {
  metrics: [string, string, number, Record<string, string>][];
  artifacts: [string, string, string][];
  executors: string[];
}

function recorded(dir: string): Recorded {
  const store = openRunStore(join(dir, '.sonic'), { readonly: true });
  try {
    const [run] = store.runs(1);
    const stageRuns = store.stageRunsOf(run!.id);
    return {
      metrics: store.metrics({}).map((m) => [stageRuns.find((s) => s.id === m.stageRunId)!.stageId, m.name, m.value, m.tags] as [string, string, number, Record<string, string>]).sort(),
      artifacts: stageRuns.flatMap((s) => store.artifactsOf(s.id).map((a) => [s.stageId, a.name, a.hash] as [string, string, string])).sort(),
      executors: [...new Set(stageRuns.map((s) => s.executor ?? 'none'))],
    };
  } finally {
    store.close();
  }
}

test('a diamond pipeline through Slurm records the same outputs, metrics and artifacts as the local executor', { timeout: 300_000 }, async (t) => {
  if (!requireSlurm(t)) return;
  const slurmDir = sharedTempDir('sonic-slurm-pipeline-');
  const localDir = sharedTempDir('sonic-local-pipeline-');
  try {
    const viaSlurm = await runPipeline(diamond(slurmDir), options(slurmDir, { executor: new SlurmExecutor({ pollIntervalMs: 300 }) }));
    assert.equal(viaSlurm.status, 'succeeded', JSON.stringify(viaSlurm.stages.map((s) => [s.stageId, s.status, s.error])));
    assert.equal(readFileSync(join(slurmDir, 'results', 'total.txt'), 'utf8'), '18');

    const viaLocal = await runPipeline(diamond(localDir), options(localDir));
    assert.equal(viaLocal.status, 'succeeded');

    const s = recorded(slurmDir);
    const l = recorded(localDir);
    assert.deepEqual(s.executors, ['slurm']);
    assert.deepEqual(l.executors, ['local']);
    assert.ok(s.metrics.length >= 2, JSON.stringify(s.metrics));
    assert.deepEqual(s.metrics, l.metrics);
    assert.equal(s.artifacts.length, 4);
    assert.deepEqual(s.artifacts, l.artifacts);

    const again = await runPipeline(diamond(slurmDir), options(slurmDir, { executor: new SlurmExecutor({ pollIntervalMs: 300 }) }));
    assert.equal(again.counts.cached, 4, 'a second run through Slurm is fully cached');
  } finally {
    rmSync(slurmDir, { recursive: true, force: true });
    rmSync(localDir, { recursive: true, force: true });
  }
});

test('per-stage executor choice from sonic.config.yaml: only the chosen stages become Slurm jobs', { timeout: 300_000 }, async (t) => {
  if (!requireSlurm(t)) return;
  const dir = sharedTempDir('sonic-routed-pipeline-');
  try {
    writeFileSync(join(dir, 'sonic.config.yaml'), 'executor:\n  default: local\n  slurm:\n    pollIntervalMs: 300\n  stages:\n    b: slurm\n    "?": local\n    c: slurm\n');
    const config = loadExecutorConfig(dir);
    const p = diamond(dir);
    const router = new ExecutorRouter({
      config,
      executors: { local: new LocalExecutor(), slurm: new SlurmExecutor(config.slurm) },
      stages: p.stages,
      waitPollMs: 200,
    });
    const summary = await runPipeline(p, options(dir, { executor: router }));
    assert.equal(summary.status, 'succeeded', JSON.stringify(summary.stages.map((s) => [s.stageId, s.status, s.error])));
    assert.equal(readFileSync(join(dir, 'results', 'total.txt'), 'utf8'), '18');
    const viaSlurm = summary.stages.filter((s) => existsSync(join(dirname(s.logPath!), 'job.sbatch'))).map((s) => s.stageId);
    assert.deepEqual(viaSlurm.sort(), ['b', 'c']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
