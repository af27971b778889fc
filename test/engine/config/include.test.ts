import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { displayPath, formatDiagnostics } from '../../../src/engine/config/diagnostics.js';
import { loadPipeline, PipelineConfigError } from '../../../src/engine/config/load-pipeline.js';
import { fixtures } from './fixture-paths.js';

const dir = join(fixtures, 'pipelines', 'diamond');
const top = join(dir, 'top.yaml');

test('a file included twice merges once; later includes and the includer override vars', () => {
  const p = loadPipeline(top);
  assert.equal(p.name, 'top');
  assert.deepStrictEqual(p.vars, { n: 3, who: 'top', a_only: 'yes' });
  assert.deepStrictEqual(p.stages.map((s) => [s.id, s.pos.file, s.run]), [
    ['base', join(dir, 'parts', 'common.yaml'), ['echo', 'top']],
    ['a', join(dir, 'parts', 'a.yaml'), ['echo', '3', '${{ inputs._ref0 }}']],
    ['b', join(dir, 'parts', 'b.yaml'), ['echo', 'b']],
    ['top', top, ['echo', 'top']],
  ]);
  assert.deepStrictEqual(p.stages[1]!.inputs, { _ref0: { refs: [{ kind: 'output', stage: 'base', output: 'out' }], list: false } });
});

test('profiles from several files merge key by key', () => {
  const p = loadPipeline(top, { set: { profile: 'small' } });
  assert.deepStrictEqual(p.vars, { n: 0, who: 'b-small', a_only: 'yes', profile: 'small' });
});

test('publish targets resolve against the pipeline directory and must stay inside the workspace root', () => {
  assert.equal(loadPipeline(top).stages[3]!.outputs.report!.publish, join(dir, 'out', 'r.md'));
  assert.equal(loadPipeline(top, { workspaceRoot: dir }).stages[3]!.outputs.report!.publish, join(dir, 'out', 'r.md'));
  assert.throws(
    () => loadPipeline(top, { workspaceRoot: join(dir, 'parts') }),
    (e: unknown) => e instanceof PipelineConfigError && /top\.yaml:8:37: publish path "out\/r\.md" resolves outside the workspace root$/.test(e.message),
  );
});

test('formatDiagnostics: relative paths inside the working directory, absolute outside', () => {
  const d = [
    { file: join(process.cwd(), 'a', 'p.yaml'), line: 3, col: 5, message: 'm1' },
    { file: '/elsewhere/p.yaml', line: 1, col: 1, message: 'm2' },
    { file: join(process.cwd(), 'p.yaml'), line: 0, col: 0, message: '--set x=1: unknown var "x"' },
  ];
  assert.equal(formatDiagnostics(d), `${join('a', 'p.yaml')}:3:5: m1\n/elsewhere/p.yaml:1:1: m2\np.yaml: --set x=1: unknown var "x"`);
  assert.equal(displayPath('/elsewhere/x', '/work'), '/elsewhere/x');
});

test('top-level x- keys hold YAML anchors; << merges them into stages, explicit keys win', () => {
  const p = loadPipeline(join(fixtures, 'pipelines', 'anchors.yaml'));
  assert.deepStrictEqual(p.stages.map((s) => [s.id, s.resources, s.retries]), [
    ['a', { cpu: 2, cpuDeclared: true, memoryMB: 1024, gpu: 0 }, 1],
    ['b', { cpu: 2, cpuDeclared: true, memoryMB: 1024, gpu: 0 }, 3],
  ]);
});

test('a run argument that is exactly a list var is spliced; --set can replace the list', () => {
  const file = join(fixtures, 'pipelines', 'splice.yaml');
  assert.deepStrictEqual(loadPipeline(file).stages[0]!.run, ['python', 'x.py', '--a', '1', '--n=2']);
  assert.deepStrictEqual(loadPipeline(file, { set: { flags: '[--b]', n: '3' } }).stages[0]!.run, ['python', 'x.py', '--b', '--n=3']);
});
