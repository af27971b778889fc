import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dagSvg, reduceEdges } from '../../../../src/engine/report/ui/dag-svg.js';
import { metricsCompareTable, paramsCompareTable } from '../../../../src/engine/report/compare-tables.js';
import type { MetricRecord } from '../../../../src/engine/store/store-api.js';

test('reduceEdges drops arrows implied by longer paths and keeps the rest', () => {
  const e = (from: string, to: string) => ({ from, to });
  assert.deepEqual(reduceEdges([e('data', 'train'), e('train', 'eval'), e('data', 'eval'), e('data', 'eval'), e('x', 'x')]), [e('data', 'train'), e('train', 'eval')]);
  assert.deepEqual(reduceEdges([e('a', 'b'), e('a', 'c')]), [e('a', 'b'), e('a', 'c')]);
});

test('dagSvg: one linked box per stage, labels escaped, arrows only between known stages', () => {
  const svg = dagSvg(
    [
      { id: 'a', label: 'a<script>', state: 'succeeded', href: '/stage-runs/1?x=1&y=2' },
      { id: 'b', label: 'b', state: 'failed' },
    ],
    [{ from: 'a', to: 'b' }, { from: 'ghost', to: 'b' }],
  );
  assert.match(svg, /^<svg /);
  assert.match(svg, />a&lt;script&gt;</);
  assert.doesNotMatch(svg, /<script/);
  assert.match(svg, /href="\/stage-runs\/1\?x=1&amp;y=2"/);
  assert.equal(svg.match(/marker-end=/g)?.length, 1);
  assert.equal(svg.match(/<rect /g)?.length, 2);
});

const metric = (runId: number, name: string, value: number, step: number | null = null, tags: Record<string, string> = {}): MetricRecord => ({
  id: runId * 100 + (step ?? 0),
  stageRunId: runId,
  stageId: 'eval',
  runId,
  name,
  value,
  step,
  tags,
});

test('metricsCompareTable: one column per run and a delta per later run; step metrics left to the curves', () => {
  const t = metricsCompareTable(
    [
      { label: 'run 1', data: [metric(1, 'ais', 0.5, null, { d: 'hits' }), metric(1, 'loss', 3, 0)] },
      { label: 'run 2', data: [metric(2, 'ais', 0.75, null, { d: 'hits' }), metric(2, 'fid', 9)] },
      { label: 'run 3', data: [metric(3, 'ais', 0.5, null, { d: 'hits' })] },
    ],
    {},
  );
  assert.deepEqual(t.columns.map((c) => c.label), ['stage', 'name', 'tags', 'run 1', 'run 2', 'run 3', 'Δ run 2 − run 1', 'Δ run 3 − run 1']);
  assert.deepEqual(t.rows, [
    { stage: 'eval', name: 'ais', tags: 'd=hits', r0: 0.5, r1: 0.75, d1: 0.25, r2: 0.5, d2: 0, changed: '*' },
    { stage: 'eval', name: 'fid', tags: '', r0: null, r1: 9, d1: null, r2: null, d2: null, changed: '*' },
  ]);
});

test('paramsCompareTable: changed rows marked; changedOnly keeps only them', () => {
  const runs = [
    { label: 'run 1', data: [{ stageId: 'train', params: { lr: '0.1', steps: '30' } }] },
    { label: 'run 2', data: [{ stageId: 'train', params: { lr: '0.2', steps: '30' } }] },
  ];
  assert.deepEqual(paramsCompareTable(runs).rows, [
    { stage: 'train', param: 'lr', r0: '0.1', r1: '0.2', changed: '*' },
    { stage: 'train', param: 'steps', r0: '30', r1: '30', changed: '' },
  ]);
  assert.deepEqual(paramsCompareTable(runs, { changedOnly: true }).rows.map((r) => r['param']), ['lr']);
});
