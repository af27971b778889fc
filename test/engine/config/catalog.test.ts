import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import * as z from 'zod';
import { loadPipeline, PipelineConfigError } from '../../../src/engine/config/load-pipeline.js';
import type { StageCatalog, StageDefinition } from '../../../src/engine/stage/stage-definition.js';
import { fixtures } from './fixture-paths.js';

const dir = join(fixtures, 'pipelines', 'catalog');

function stage(name: string, params: z.ZodType, inputs: StageDefinition['inputs'], outputs: StageDefinition['outputs']): StageDefinition {
  return { name, version: '1', description: name, params, inputs, outputs, run: async () => {} };
}

const defs = [
  stage('toy/make', z.strictObject({ count: z.int().min(0).default(1) }), {}, { items: { description: 'items' } }),
  stage(
    'toy/echo',
    z.strictObject({ lr: z.number(), mode: z.enum(['fast', 'slow']).default('fast') }),
    { data: { description: 'data to echo' } },
    { log: { description: 'the echo' }, report: { description: 'a report' } },
  ),
  stage('toy/collect', z.strictObject({}), { all: { description: 'every log', list: true }, extra: { description: 'x', optional: true } }, { table: { description: 'table' } }),
];
const catalog: StageCatalog = {
  get: (name) => defs.find((d) => d.name === name),
  names: () => defs.map((d) => d.name),
};

test('with: is validated and defaulted by the stage params; declared outputs default to their names', () => {
  const p = loadPipeline(join(dir, 'good.yaml'), { catalog });
  const byId = new Map(p.stages.map((s) => [s.id, s]));
  assert.deepStrictEqual(byId.get('make')!.with, { count: 3 });
  assert.deepStrictEqual(byId.get('make')!.outputs, { items: { path: 'items' } });
  const echo = byId.get('echo[lr=0.2]')!;
  assert.deepStrictEqual(echo.with, { lr: 0.2, mode: 'fast' });
  assert.deepStrictEqual(echo.outputs, {
    log: { path: 'log' },
    report: { path: 'report.md', publish: join(dir, 'results', 'echo-0.2.md') },
  });
  assert.deepStrictEqual(echo.inputs.data, { refs: [{ kind: 'output', stage: 'make', output: 'items' }], list: false });
  // A fan-in into a list input of the stage.
  assert.deepStrictEqual(byId.get('collect')!.inputs.all, {
    refs: [
      { kind: 'output', stage: 'echo[lr=0.1]', output: 'log' },
      { kind: 'output', stage: 'echo[lr=0.2]', output: 'log' },
    ],
    list: true,
  });
});

test('catalog errors: unknown uses, bad with types and keys, unknown inputs/outputs, missing inputs, fan-in into a single input', () => {
  process.chdir(dir);
  try {
    loadPipeline('bad.yaml', { catalog });
    assert.fail('expected a PipelineConfigError');
  } catch (e) {
    assert.ok(e instanceof PipelineConfigError);
    const lines = e.diagnostics.map((d) => `${relative(dir, d.file)}:${d.line}:${d.col}: ${d.message}`);
    assert.deepStrictEqual(lines, [
      'bad.yaml:4:11: unknown stage "toy/mkae" (did you mean "toy/make"?)',
      'bad.yaml:7:16: with: lr: expected a number, got "fast"',
      'bad.yaml:7:22: with: unknown key "momentum"; expected one of: "lr", "mode"',
      'bad.yaml:7:43: with: mode: expected one of "fast", "slow", got a mapping',
      'bad.yaml:10:7: stage "toy/echo" has no input "extra"; its inputs are: "data"',
      'bad.yaml:12:7: stage "toy/echo" has no output "repot" (did you mean "report"?)',
      'bad.yaml:15:19: with: count: expected number to be >=0, got -1',
      'bad.yaml:16:3: stage "lonely" lacks input "data" required by "toy/echo" (data to echo)',
      'bad.yaml:16:3: with: missing required key "lr"',
      'bad.yaml:18:3: with: missing required key "lr"',
      'bad.yaml:21:13: input "data" of "toy/echo" takes one path, but this binds a list of 2 (a fan-in over matrix instances or a YAML list)',
    ]);
  }
});
