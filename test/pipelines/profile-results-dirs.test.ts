// Non-default profiles publish to their own results directories, so a smoke run never overwrites the
// committed results, and their reports say the numbers are a plumbing check.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_STAGE_MODULES, loadCatalog } from '../../src/cli/stage-modules.js';
import { loadPipeline } from '../../src/engine/config/load-pipeline.js';
import type { StageCatalog } from '../../src/engine/stage/stage-definition.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
let catalog: StageCatalog;
before(async () => {
  catalog = await loadCatalog([...DEFAULT_STAGE_MODULES]);
});

function report(pipeline: string, set: Record<string, string> = {}) {
  const p = loadPipeline(join(REPO, 'pipelines', pipeline), { set, catalog });
  const r = p.stages.find((s) => s.id === 'report')!;
  return { publish: r.outputs.report!.publish, plumbingCheck: r.with.plumbingCheck, notice: /plumbing check/.test(p.notice ?? '') };
}

test('seeds: training repeats per seed, and what uses a trained model follows it', () => {
  const p = loadPipeline(join(REPO, 'pipelines', 'sonictoy.yaml'), { set: { profile: 'quick', seeds: '[0, 7]' }, catalog });
  const ids = (base: string) => p.stages.filter((s) => s.baseId === base).map((s) => s.id);
  assert.deepEqual(ids('train_adapter').filter((id) => id.includes('ablation=full')), [
    'train_adapter[data=landscape,ablation=full,seed=0]', 'train_adapter[data=landscape,ablation=full,seed=7]',
    'train_adapter[data=hits,ablation=full,seed=0]', 'train_adapter[data=hits,ablation=full,seed=7]',
    'train_adapter[data=voices,ablation=full,seed=0]', 'train_adapter[data=voices,ablation=full,seed=7]',
  ]);
  assert.deepEqual(p.stages.find((s) => s.id === 'train_projector[data=hits,ablation=no_mse,seed=7]')!.with.seed, 7);
  assert.deepEqual(ids('edit'), ['edit[data=landscape,seed=0]', 'edit[data=landscape,seed=7]', 'edit[data=hits,seed=0]', 'edit[data=hits,seed=7]']);
  assert.deepEqual(ids('generate_text'), ['generate_text[data=landscape]', 'generate_text[data=hits]', 'generate_text[data=voices]']);
  assert.equal(p.stages.find((s) => s.id === 'tables')!.inputs.metrics!.refs.length, 7 * 2 + 3 + 2 * 2 + 2);
});

test('the default runs publish to results/<world>; quick and fixture profiles elsewhere, marked as plumbing checks', () => {
  assert.deepEqual(report('sonictoy.yaml'), { publish: join(REPO, 'results', 'sonictoy'), plumbingCheck: false, notice: false });
  assert.deepEqual(report('sonictoy.yaml', { profile: 'quick' }), { publish: join(REPO, 'results', 'sonictoy-quick'), plumbingCheck: true, notice: true });
  assert.deepEqual(report('paper.yaml', { profile: 'fixture' }), { publish: join(REPO, 'results', 'paper-fixture'), plumbingCheck: true, notice: true });
});
