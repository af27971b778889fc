import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_STAGE_MODULES, loadCatalog } from '../../src/cli/stage-modules.js';

const EXPECTED = [
  'sonictoy-synth', 'train-toy-clip', 'train-toy-clap', 'train-toy-wav2clip', 'build-toy-captioner', 'train-toy-vae', 'train-toy-sd', 'assemble-bundle',
  'merge-datasets', 'caption', 'embed', 'train-projector', 'train-adapter', 'generate', 'edit', 'evaluate', 'paper-tables', 'sonictoy-report',
  'ingest-landscape', 'ingest-greatest-hits', 'ingest-ravdess', 'ingest-fixtures',
];

test('the default stage modules are the built-in catalog with every stage', async () => {
  assert.equal(DEFAULT_STAGE_MODULES.length, 1);
  const catalog = await loadCatalog([...DEFAULT_STAGE_MODULES]);
  for (const name of EXPECTED) assert.ok(catalog.get(name), `catalog lacks ${name}`);
  for (const name of catalog.names()) {
    const def = catalog.get(name)!;
    assert.match(def.version, /^\d+$/, `${name}: version`);
    assert.ok(Object.keys(def.outputs).length > 0, `${name}: no outputs`);
  }
});

test('stage params default and validate (train-projector, evaluate, assemble-bundle)', async () => {
  const catalog = await loadCatalog([...DEFAULT_STAGE_MODULES]);
  const p = catalog.get('train-projector')!.params.parse({ domain: 'hits' });
  assert.equal(p.lr, 1e-4);
  assert.equal(p.ablation, 'full');
  // Ablation names are data (experiments/ablations/*.yaml): any name that can be part of a stage id.
  assert.equal(catalog.get('train-projector')!.params.parse({ domain: 'hits', ablation: 'adapter_lr_1e-3' }).ablation, 'adapter_lr_1e-3');
  assert.throws(() => catalog.get('train-projector')!.params.parse({ domain: 'hits', ablation: 'no gpu' }), /ablation name/);
  assert.throws(() => catalog.get('train-projector')!.params.parse({ domain: 'hits', stepz: 3 }));
  assert.throws(() => catalog.get('assemble-bundle')!.params.parse({ roles: { vae: { impl: 'toy-vae' } } }), /from|model|path/);
  assert.throws(() => catalog.get('assemble-bundle')!.params.parse({ roles: { vae: { path: '/x' } } }), /impl/);
});
