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

test('the default runs publish to results/<world>; quick and fixture profiles elsewhere, marked as plumbing checks', () => {
  assert.deepEqual(report('sonictoy.yaml'), { publish: join(REPO, 'results', 'sonictoy'), plumbingCheck: false, notice: false });
  assert.deepEqual(report('sonictoy.yaml', { profile: 'quick' }), { publish: join(REPO, 'results', 'sonictoy-quick'), plumbingCheck: true, notice: true });
  assert.deepEqual(report('sonictoy.yaml', { profile: 'quick-seeds' }), { publish: join(REPO, 'results', 'sonictoy-quick-seeds'), plumbingCheck: true, notice: true });
  assert.deepEqual(report('paper.yaml', { profile: 'fixture' }), { publish: join(REPO, 'results', 'paper-fixture'), plumbingCheck: true, notice: true });
});
