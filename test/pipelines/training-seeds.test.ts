// The `seeds` var of pipelines/method.yaml: training stages run once per seed, and seed 0 of a multi-seed
// run is the single-seed run itself (same params, inputs and outputs, so the same cache key), which is what
// keeps the default run's committed results cached.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_STAGE_MODULES, loadCatalog } from '../../src/cli/stage-modules.js';
import { loadPipeline } from '../../src/engine/config/load-pipeline.js';
import type { StageSpec } from '../../src/engine/config/pipeline-model.js';
import type { StageCatalog } from '../../src/engine/stage/stage-definition.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
let catalog: StageCatalog;
before(async () => {
  catalog = await loadCatalog([...DEFAULT_STAGE_MODULES]);
});

const load = (pipeline: string, set: Record<string, string> = {}) => loadPipeline(join(REPO, 'pipelines', pipeline), { set, catalog }).stages;

/** What enters a stage's fingerprint besides input contents: kind, stage, params, output paths, env, and which outputs it reads. */
function cacheKeyParts(s: StageSpec) {
  const inputs = Object.fromEntries(Object.entries(s.inputs).map(([name, b]) => [name, b.refs.map((r) => (r.kind === 'file' ? `file:${r.path}` : `${r.stage}.${r.output}`))]));
  return { kind: s.kind, uses: s.uses, with: s.with, outputs: Object.fromEntries(Object.entries(s.outputs).map(([k, o]) => [k, o.path])), env: s.env, inputs };
}

test('the default runs have one training seed, 0, which is the training stages\' own default seed', () => {
  for (const [pipeline, set] of [['sonictoy.yaml', {}], ['sonictoy.yaml', { profile: 'quick' }], ['paper.yaml', { profile: 'fixture' }]] as const) {
    const stages = load(pipeline, set);
    for (const uses of ['train-projector', 'train-adapter']) {
      const trained = stages.filter((s) => s.uses === uses);
      assert.ok(trained.length > 0, `${pipeline}: no ${uses} stage`);
      const schemaDefault = (catalog.get(uses)!.params.parse({ domain: 'x', ablation: 'x' }) as { seed: number }).seed;
      for (const s of trained) {
        assert.equal(s.matrix.seed, 0, `${pipeline} ${s.id}`);
        assert.equal(s.with.seed, schemaDefault, `${pipeline} ${s.id}: a seed other than the stage's default would change the cache key of every existing run`);
      }
    }
  }
});

test('profile quick-seeds runs every trained stage once per seed; its seed-0 stages are the quick profile\'s', () => {
  const quick = load('sonictoy.yaml', { profile: 'quick' });
  const seeded = load('sonictoy.yaml', { profile: 'quick-seeds' });
  const byId = new Map(seeded.map((s) => [s.id, s]));
  for (const s of quick) {
    const twin = byId.get(s.id);
    assert.ok(twin, `quick-seeds has no ${s.id}`);
    // The fan-ins of the tables and the report gain the seed-1 instances; everything else is identical.
    if (s.id !== 'tables' && s.id !== 'report') assert.deepEqual(cacheKeyParts(twin), cacheKeyParts(s), s.id);
  }
  const extra = seeded.filter((s) => !quick.some((q) => q.id === s.id));
  assert.ok(extra.length > 0);
  for (const s of extra) {
    assert.equal(s.matrix.seed, 1, s.id);
    assert.ok(['train_projector', 'train_adapter', 'generate', 'evaluate', 'edit', 'evaluate_edit'].includes(s.baseId), s.id);
    const zero = byId.get(s.id.replace('seed=1', 'seed=0'))!;
    assert.equal(cacheKeyParts(s).inputs.embeddings?.[0] ?? null, cacheKeyParts(zero).inputs.embeddings?.[0] ?? null, `${s.id}: both seeds read the same embeddings`);
  }
  const adapter = byId.get('train_adapter[data=hits,ablation=full,seed=1]')!;
  assert.equal(adapter.with.seed, 1);
  assert.deepEqual(adapter.inputs.projector!.refs, [{ kind: 'output', stage: 'train_projector[data=hits,ablation=full,seed=1]', output: 'projector' }]);
  assert.equal(byId.get('train_projector[data=hits,ablation=no_mse,seed=1]')!.with.seed, 1);
  assert.deepEqual(byId.get('edit[data=hits,seed=1]')!.inputs.adapter!.refs, [{ kind: 'output', stage: 'train_adapter[data=hits,ablation=full,seed=1]', output: 'adapter' }]);
  // The tables get every seed's evaluation.
  const tables = byId.get('tables')!;
  const metrics = tables.inputs.metrics!.refs.map((r) => (r.kind === 'output' ? r.stage : r.path));
  assert.ok(metrics.includes('evaluate[data=hits,ablation=no_mse,seed=0]') && metrics.includes('evaluate[data=hits,ablation=no_mse,seed=1]'));
  assert.ok(metrics.includes('evaluate_edit[data=landscape,seed=1]'));
});

test('seeds must be a list', () => {
  assert.throws(() => load('sonictoy.yaml', { seeds: '2' }), /seed: expected a non-empty list of values, got/);
});
