import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGraph, PipelineGraphError } from '../../../src/engine/graph/dag.js';
import { selectStages, UnknownTargetError } from '../../../src/engine/graph/targets.js';
import { explainChange } from '../../../src/engine/graph/explain.js';
import { renderAsciiDag, renderMermaidDag } from '../../../src/engine/graph/render-dag.js';
import type { Fingerprint } from '../../../src/engine/fingerprint/fingerprint.js';
import { out, outs, pipeline, stage } from '../runner/fixtures/pipeline-builder.js';

const diamond = () =>
  pipeline('/p', [
    stage({ id: 'd', run: ['x'], inputs: { i: outs([['b', 'o'], ['c', 'o']]) }, outputs: { o: 'o' } }),
    stage({ id: 'b', run: ['x'], inputs: { i: out('a', 'o') }, outputs: { o: 'o' } }),
    stage({ id: 'c', run: ['x'], inputs: { i: out('a', 'o') }, outputs: { o: 'o' } }),
    stage({ id: 'a', run: ['x'], outputs: { o: 'o' } }),
    stage({ id: 'm[k=1]', baseId: 'm', run: ['x'], outputs: { o: 'o' } }),
    stage({ id: 'm[k=2]', baseId: 'm', run: ['x'], inputs: { i: out('b', 'o') }, outputs: { o: 'o' } }),
  ]);

test('topological order puts dependencies first and keeps definition order otherwise', () => {
  const g = buildGraph(diamond());
  assert.deepEqual(g.order, ['a', 'b', 'c', 'd', 'm[k=1]', 'm[k=2]']);
  assert.deepEqual(g.deps.get('d'), ['b', 'c']);
  assert.deepEqual(g.dependents.get('a'), ['b', 'c']);
});

test('targets select ancestors; a base id selects every matrix instance', () => {
  const g = buildGraph(diamond());
  assert.deepEqual(selectStages(g, ['c']), ['a', 'c']);
  assert.deepEqual(selectStages(g, ['m']), ['a', 'b', 'm[k=1]', 'm[k=2]']);
  assert.deepEqual(selectStages(g, ['m[k=1]']), ['m[k=1]']);
  assert.deepEqual(selectStages(g, []).length, 6);
  assert.throws(() => selectStages(g, ['zzz']), UnknownTargetError);
});

test('cycles, unknown stages and undeclared outputs are reported', () => {
  const cyc = pipeline('/p', [
    stage({ id: 'x', run: ['x'], inputs: { i: out('y', 'o') }, outputs: { o: 'o' } }),
    stage({ id: 'y', run: ['x'], inputs: { i: out('x', 'o') }, outputs: { o: 'o' } }),
  ]);
  assert.throws(() => buildGraph(cyc), (e: unknown) => e instanceof PipelineGraphError && e.message === 'dependency cycle: x -> y -> x');
  const bad = pipeline('/p', [stage({ id: 'x', run: ['x'], inputs: { i: out('nope', 'o') } })]);
  assert.throws(() => buildGraph(bad), /unknown stage nope/);
  const undeclared = pipeline('/p', [stage({ id: 'a', run: ['x'], outputs: { o: 'o' } }), stage({ id: 'b', run: ['x'], inputs: { i: out('a', 'q') } })]);
  assert.throws(() => buildGraph(undeclared), /declares no output q/);
});

test('explainChange names params keys, inputs, upstream stages, code and env', () => {
  const base: Fingerprint = {
    v: 2,
    kind: 'uses',
    uses: 's',
    stageVersion: '1',
    outputs: { o: 'o' },
    params: { lr: 0.1, opt: { beta: 0.9, eps: 1 }, steps: 10 },
    inputs: { data: ['h1'] },
    upstream: { model: ['h-model-1'] },
    env: { A: '1' },
  };
  assert.deepEqual(explainChange(base, base), []);
  const cur: Fingerprint = {
    ...base,
    stageVersion: '2',
    params: { lr: 0.2, opt: { beta: 0.9, eps: 2 }, steps: 10, extra: true },
    inputs: { data: ['h2'] },
    upstream: { model: ['h-model-2'] },
    env: { A: '2' },
  };
  assert.deepEqual(
    explainChange(base, cur, { inputs: { model: out('train', 'm') } }).map((c) => c.text),
    ['code version changed (s 1 -> 2)', 'params changed: extra, lr, opt.eps', 'input changed: data', 'upstream changed: train', 'env changed: A'],
  );
  assert.deepEqual(explainChange(base, { ...base, upstream: { model: ['h-model-2'] } }).map((c) => c.text), ['upstream changed: model'], 'without the stage: the input name');
  assert.deepEqual(explainChange({ ...base, v: 1 } as unknown as Fingerprint, base).map((c) => c.text), ['fingerprint format changed (v1 -> v2)']);
  const run: Fingerprint = { ...base, kind: 'run', uses: undefined, stageVersion: undefined, argv: ['a'] };
  assert.deepEqual(explainChange(run, { ...run, argv: ['b'] }).map((c) => c.text), ['code version changed (command line)']);
});

test('DAG renderings', () => {
  const g = buildGraph(diamond());
  assert.equal(
    renderAsciiDag(g),
    ['a', '├─ b', '│  ├─ d', '│  └─ m[k=2]', '└─ c', '   └─ d', 'm[k=1]', ''].join('\n'),
  );
  const m = renderMermaidDag(g);
  assert.match(m, /^graph TD\n/);
  assert.match(m, /s0\["a"\]/);
  assert.match(m, /s0 --> s1/);
});
