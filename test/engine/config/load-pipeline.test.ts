import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPipeline, PipelineConfigError } from '../../../src/engine/config/load-pipeline.js';
import type { InputBinding, StageSpec } from '../../../src/engine/config/pipeline-model.js';
import { fixtures } from './fixture-paths.js';

const dir = join(fixtures, 'pipelines', 'good');
const file = join(dir, 'pipeline.yaml');
const method = join(dir, 'parts', 'method.yaml');
const cfg = join(dir, 'experiments', 'x.yaml');

const out = (stage: string, output: string) => ({ kind: 'output' as const, stage, output });
const one = (...refs: InputBinding['refs']): InputBinding => ({ refs, list: false });
const many = (...refs: InputBinding['refs']): InputBinding => ({ refs, list: true });
const fileRef = { kind: 'file' as const, path: cfg };
const defaults = { with: {}, inputs: {}, resources: { cpu: 1, memoryMB: 0, gpu: 0 }, cache: true, retries: 0, priority: 0, env: {}, tags: {} };

function train(ablation: string, data: string): StageSpec {
  return {
    ...defaults,
    id: `train[ablation=${ablation},data=${data}]`,
    baseId: 'train',
    matrix: { ablation, data },
    kind: 'uses',
    uses: 'toy/echo',
    with: { lr: 0.01, ablation, label: `run-${data}` },
    inputs: { data: one(out('gen', 'data')), cfg: one(fileRef) },
    outputs: { model: { path: 'model', publish: join(dir, 'results', `${ablation}-${data}.md`) } },
    resources: { cpu: 2, cpuDeclared: true, memoryMB: 2048, gpu: 0 },
    retries: 2,
    tags: { table: 'table3', ablation, data },
    pos: { file: method, line: 10, col: 3 },
  };
}

function evaluate(ablation: string, trained: string[]): StageSpec {
  return {
    ...defaults,
    id: `evaluate[ablation=${ablation}]`,
    baseId: 'evaluate',
    matrix: { ablation },
    kind: 'run',
    run: ['node', 'eval.js', '--model', '${{ inputs._ref0 }}', '--data', '${{ inputs._ref1 }}', '--cfg', '${{ inputs.cfg }}', '--escaped', '$${{ x }}'],
    inputs: {
      cfg: one(fileRef),
      _ref0: many(...trained.map((t) => out(t, 'model'))),
      _ref1: one(out('gen', 'data')),
    },
    outputs: { scores: { path: 'scores.json' } },
    cache: false,
    env: { SEED: '3' },
    tags: { ablation },
    pos: { file, line: 11, col: 3 },
  };
}

test('good pipeline resolves to the exact expected Pipeline', () => {
  const p = loadPipeline(file);
  const expected = {
    name: 'example',
    file,
    rootDir: dir,
    vars: { n_train: 200, lr: 0.01, ablations: ['full', 'no_mse'], gpus: 0, profile: 'full' },
    stages: [
      {
        ...defaults,
        id: 'gen',
        baseId: 'gen',
        matrix: {},
        kind: 'run',
        run: ['node', 'gen.js', '--n', '200', '--out', '${{ outputs.data }}'],
        outputs: { data: { path: 'data.txt' } },
        pos: { file: method, line: 7, col: 3 },
      },
      train('full', 'hits'),
      train('full', 'landscape'),
      train('no_mse', 'hits'),
      evaluate('full', ['train[ablation=full,data=hits]', 'train[ablation=full,data=landscape]']),
      evaluate('no_mse', ['train[ablation=no_mse,data=hits]']),
      {
        ...defaults,
        id: 'table',
        baseId: 'table',
        matrix: {},
        kind: 'uses',
        uses: 'toy/table',
        inputs: {
          runs: many(out('train[ablation=full,data=hits]', 'model'), out('train[ablation=full,data=landscape]', 'model'), out('train[ablation=no_mse,data=hits]', 'model')),
          best: one(out('train[ablation=full,data=hits]', 'model')),
          many: many(fileRef, out('evaluate[ablation=full]', 'scores'), out('evaluate[ablation=no_mse]', 'scores')),
        },
        outputs: {},
        resources: { cpu: 1, memoryMB: 512, gpu: 0 },
        pos: { file, line: 19, col: 3 },
      },
    ],
  };
  assert.deepStrictEqual(JSON.parse(JSON.stringify(p)), expected);
});

test('profile overlay, then --set overrides, typed as YAML scalars', () => {
  const p = loadPipeline(file, { set: { profile: 'quick', n_train: '5', lr: '1e-3' } });
  assert.deepStrictEqual(p.vars, { n_train: 5, lr: 0.001, ablations: ['full'], gpus: 0, profile: 'quick' });
  assert.deepStrictEqual(
    p.stages.map((s) => s.id),
    ['gen', 'train[ablation=full,data=hits]', 'train[ablation=full,data=landscape]', 'evaluate[ablation=full]', 'table'],
  );
  assert.deepStrictEqual(p.stages[0]!.run, ['node', 'gen.js', '--n', '5', '--out', '${{ outputs.data }}']);
  assert.equal(p.stages[1]!.with.lr, 0.001);
});

test('--set of the default profile name applies no overlay; --set strings stay strings', () => {
  const p = loadPipeline(file, { set: { profile: 'full', n_train: 'many' } });
  assert.equal(p.vars.profile, 'full');
  assert.equal(p.vars.n_train, 'many');
  assert.deepStrictEqual(p.vars.ablations, ['full', 'no_mse']);
});

test('--set errors: unknown var and unknown profile, all reported at once', () => {
  assert.throws(
    () => loadPipeline(file, { set: { profile: 'quik', n_trian: '5', zzz: '1' } }),
    (e: unknown) => {
      assert.ok(e instanceof PipelineConfigError);
      assert.deepStrictEqual(
        e.diagnostics.map((d) => [d.line, d.message]),
        [
          [0, '--set profile=quik: unknown profile "quik" (did you mean "quick"?)'],
          [0, '--set n_trian=5: unknown var "n_trian" (did you mean "n_train"?)'],
          [0, '--set zzz=1: unknown var "zzz"; expected one of: "n_train", "lr", "ablations", "gpus", "profile"'],
        ],
      );
      assert.match(e.message, /pipeline\.yaml: --set profile=quik: unknown profile/);
      return true;
    },
  );
});

test('a missing pipeline file is a diagnostic, not a stack trace', () => {
  assert.throws(() => loadPipeline(join(dir, 'nope.yaml')), (e: unknown) => e instanceof PipelineConfigError && /nope\.yaml: pipeline file not found/.test(e.message));
});

test('a pipeline loaded from the YAML parse cache equals one parsed afresh; a corrupt cache entry is ignored', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'sonic-yaml-cache-'));
  try {
    const fresh = JSON.stringify(loadPipeline(file));
    assert.equal(JSON.stringify(loadPipeline(file, { parseCacheDir: cacheDir })), fresh, 'cache miss');
    const entries = readdirSync(cacheDir);
    assert.equal(entries.length, 2, 'one entry per YAML file (the pipeline and its include)');
    assert.equal(JSON.stringify(loadPipeline(file, { parseCacheDir: cacheDir })), fresh, 'cache hit');
    for (const e of entries) writeFileSync(join(cacheDir, e), '{"format": "sonic-yaml-cache-1", "da');
    assert.equal(JSON.stringify(loadPipeline(file, { parseCacheDir: cacheDir })), fresh, 'corrupt entries');
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});
