// `$files` vars (records loaded from files), matrices over records, `$merge` in `with:`, and errors that
// point into the record files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { loadPipeline, PipelineConfigError } from '../../../src/engine/config/load-pipeline.js';
import type { StageCatalog, StageDefinition } from '../../../src/engine/stage/stage-definition.js';

const train: StageDefinition = {
  name: 'toy/train',
  version: '1',
  description: 'train',
  params: z.strictObject({ variant: z.string(), lr: z.number().positive().default(0.1), steps: z.int().min(0).default(10), opts: z.strictObject({ depth: z.int().default(2) }).default({ depth: 2 }) }),
  inputs: {},
  outputs: { model: { description: 'model' } },
  run: async () => {},
};
const collect: StageDefinition = { name: 'toy/collect', version: '1', description: 'c', params: z.strictObject({ labels: z.array(z.string()).default([]) }), inputs: { models: { description: 'm', list: true } }, outputs: { table: { description: 't' } }, run: async () => {} };
const catalog: StageCatalog = { get: (n) => [train, collect].find((d) => d.name === n), names: () => [train.name, collect.name] };

let dir = '';
const write = (rel: string, text: string) => {
  mkdirSync(join(dir, rel, '..'), { recursive: true });
  writeFileSync(join(dir, rel), text);
};

const PIPELINE = `version: 1
vars:
  domains: [a, b]
  variants:
    $files: variants/*.yaml
    $defaults: {base: false, train: {}}
profiles:
  small:
    variants: variants/base.yaml
stages:
  train:
    uses: toy/train
    matrix:
      d: "\${{ vars.domains }}"
      v: "\${{ vars.variants }}"
      exclude:
        - {d: b, v: {base: false}}
    with:
      variant: "\${{ matrix.v.name }}"
      steps: 5
      $merge: "\${{ matrix.v.train }}"
  pick:
    uses: toy/collect
    inputs:
      models: "\${{ stages.train[v=base].outputs.model }}"
`;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'file-records-'));
  write('p.yaml', PIPELINE);
  write('variants/base.yaml', 'name: base\nbase: true\n');
  write('variants/fast.yaml', '# faster\nname: fast\ntrain: {lr: 0.5, opts: {depth: 3}}\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('a $files var is a list of records; a matrix over it is named by the records, fields reach the params', () => {
  const p = loadPipeline(join(dir, 'p.yaml'), { catalog });
  assert.deepStrictEqual(p.vars.variants, [
    { base: true, train: {}, name: 'base' },
    { base: false, train: { lr: 0.5, opts: { depth: 3 } }, name: 'fast' },
  ]);
  const ids = p.stages.map((s) => s.id);
  // `exclude` matched the non-base record by its field: domain b runs the base variant only.
  assert.deepStrictEqual(ids, ['train[d=a,v=base]', 'train[d=a,v=fast]', 'train[d=b,v=base]', 'pick']);
  const fast = p.stages[1]!;
  assert.deepStrictEqual(fast.matrix, { d: 'a', v: 'fast' });
  assert.equal(fast.tags.v, 'fast');
  // $merge: the record's params over those written in the stage, mappings merged key by key.
  assert.deepStrictEqual(fast.with, { variant: 'fast', lr: 0.5, steps: 5, opts: { depth: 3 } });
  assert.deepStrictEqual(p.stages[0]!.with, { variant: 'base', lr: 0.1, steps: 5, opts: { depth: 2 } });
  // A selection by record name.
  assert.deepStrictEqual(p.stages[3]!.inputs.models!.refs.map((r) => (r.kind === 'output' ? r.stage : r.path)), ['train[d=a,v=base]', 'train[d=b,v=base]']);
});

test('a profile selects other files with a path; the $defaults stay', () => {
  const p = loadPipeline(join(dir, 'p.yaml'), { catalog, set: { profile: 'small' } });
  assert.deepStrictEqual(p.vars.variants, [{ base: true, train: {}, name: 'base' }]);
  assert.deepStrictEqual(p.stages.map((s) => s.id), ['train[d=a,v=base]', 'train[d=b,v=base]', 'pick']);
});

test('adding a file adds its instances and leaves the others as they were', () => {
  const before = loadPipeline(join(dir, 'p.yaml'), { catalog });
  write('variants/slow.yaml', 'name: slow\ntrain: {lr: 0.01}\n');
  try {
    const after = loadPipeline(join(dir, 'p.yaml'), { catalog });
    assert.deepStrictEqual(after.stages.map((s) => s.id), ['train[d=a,v=base]', 'train[d=a,v=fast]', 'train[d=a,v=slow]', 'train[d=b,v=base]', 'pick']);
    for (const s of before.stages) assert.deepStrictEqual(after.stages.find((x) => x.id === s.id)!.with, s.with);
  } finally {
    rmSync(join(dir, 'variants/slow.yaml'));
  }
});

function errorsOf(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof PipelineConfigError) return e.message.split('\n');
    throw e;
  }
  assert.fail('expected a PipelineConfigError');
}

test('problems in a record file are reported at its line, unknown keys with the valid ones', () => {
  write('variants/bad.yaml', 'name: bad\ntrain:\n  lr: -1\n  stepz: 3\n  opts: {depht: 1}\n');
  try {
    const errors = errorsOf(() => loadPipeline(join(dir, 'p.yaml'), { catalog }));
    const bad = join(dir, 'variants', 'bad.yaml');
    assert.deepStrictEqual(errors.filter((e) => !e.startsWith(bad)), [], 'every error is in the record file');
    assert.ok(errors.some((e) => e.startsWith(`${bad}:3:7: lr: expected number to be >0, got -1`)), errors.join('\n'));
    assert.ok(errors.some((e) => e.startsWith(`${bad}:4:3: unknown key "stepz" (did you mean "steps"?); valid keys: variant, lr, steps, opts`)), errors.join('\n'));
    assert.ok(errors.some((e) => e.startsWith(`${bad}:5:10: unknown key "depht" (did you mean "depth"?); valid keys: depth`)), errors.join('\n'));
  } finally {
    rmSync(join(dir, 'variants/bad.yaml'));
  }
  write('variants/bad.yaml', 'name: bad\ntrian: {}\n');
  try {
    assert.deepStrictEqual(errorsOf(() => loadPipeline(join(dir, 'p.yaml'), { catalog })), [
      `${join(dir, 'variants', 'bad.yaml')}:2:1: unknown key "trian" (did you mean "train"?); valid keys: name, base, train`,
    ]);
  } finally {
    rmSync(join(dir, 'variants/bad.yaml'));
  }
  write('variants/bad.yaml', 'name: fast\n');
  try {
    assert.deepStrictEqual(errorsOf(() => loadPipeline(join(dir, 'p.yaml'), { catalog })), [
      // Files are read in path order: bad.yaml came first.
      `${join(dir, 'variants', 'fast.yaml')}:2:7: var "variants": name "fast" is also the name of ${join(dir, 'variants', 'bad.yaml')}`,
    ]);
  } finally {
    rmSync(join(dir, 'variants/bad.yaml'));
  }
  write('q.yaml', PIPELINE.replace('variants/*.yaml', 'nothing/*.yaml'));
  assert.deepStrictEqual(errorsOf(() => loadPipeline(join(dir, 'q.yaml'), { catalog })), [
    `${join(dir, 'q.yaml')}:5:13: var "variants": no file matches "nothing/*.yaml" (looked for ${join(dir, 'nothing', '*.yaml')})`,
  ]);
});
