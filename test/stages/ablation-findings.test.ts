import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ablationFindingLines, ablationFindings } from '../../src/stages/method/ablation-findings.js';
import type { BuiltTable } from '../../src/stages/method/paper-tables-impl.js';

const ci = (estimate: number, low: number, high: number) => ({ estimate, low, high });

const table: BuiltTable = {
  name: 'table3',
  title: 'Table 3: ablations',
  columns: ['landscape AIS', 'landscape AIC', 'hits AIC'],
  notes: [],
  rows: [
    { method: 'SonicDiffusion', source: 'ours', kind: 'base', cells: { 'landscape AIS': 0.7, 'landscape AIC': 0.5, 'hits AIC': 0.4 } },
    { method: 'SonicDiffusion', source: 'reported', cells: { 'landscape AIS': 0.7, 'landscape AIC': 0.54, 'hits AIC': 0.6 } },
    {
      method: 'w/o MSE loss', source: 'ours', kind: 'ablation', cells: { 'landscape AIS': 0.7, 'landscape AIC': 0.65, 'hits AIC': 0.1 },
      differences: { 'landscape AIS': null, 'landscape AIC': ci(0.15, 0.05, 0.25), 'hits AIC': ci(-0.3, -0.45, -0.12) },
    },
    { method: 'w/o MSE loss', source: 'reported', cells: { 'landscape AIS': 0.6, 'landscape AIC': 0.4, 'hits AIC': 0.4 } },
    {
      method: 'w/o stage 1', source: 'ours', kind: 'ablation', cells: { 'landscape AIS': 0.5, 'landscape AIC': 0.1, 'hits AIC': null },
      differences: { 'landscape AIC': ci(-0.4, -0.6, 0.02), 'hits AIC': null },
    },
    { method: 'w/o stage 1', source: 'reported', cells: { 'landscape AIS': 0.6, 'landscape AIC': 0.06, 'hits AIC': 0.09 } },
    { method: 'PnP (text)', source: 'ours', kind: 'baseline', cells: { 'landscape AIS': 0.8, 'landscape AIC': 0.7, 'hits AIC': 0.7 } },
    { method: 'PnP (text)', source: 'reported', cells: { 'landscape AIS': null, 'landscape AIC': 0.68, 'hits AIC': 0.66 } },
  ],
};

test('ablation findings: a difference is a finding only when its paired interval excludes zero', () => {
  const f = ablationFindings([table]);
  // A missing cell skips that comparison; baselines that are not ablations are left out.
  assert.deepEqual(f.map((x) => [x.domain, x.method, x.direction]), [
    ['landscape', 'w/o MSE loss', 'opposite'],
    ['landscape', 'w/o stage 1', 'inconclusive'], // same sign as the paper, but its interval reaches +0.02
    ['hits', 'w/o MSE loss', 'same'],
  ]);
  const lines = ablationFindingLines(f);
  assert.match(lines[0]!, /^2 of 3 ablation AIC differences are findings .*; 1 of those 2 have the paper's sign\. The other 1 are inconclusive/);
  assert.equal(lines[2], '- landscape, w/o MSE loss (table3): AIC +0.150 [+0.050, +0.250] vs the full model (ours), −0.140 (paper): a finding, opposite direction as the paper');
  assert.equal(lines[3], '- landscape, w/o stage 1 (table3): AIC −0.400 [−0.600, +0.020] vs the full model (ours), −0.480 (paper): inconclusive (the interval includes 0)');
  assert.deepEqual(ablationFindingLines([]), []);
  // Without a paired interval nothing is called a finding.
  const bare = { ...table, rows: table.rows.map((r) => ({ ...r, differences: undefined })) };
  assert.ok(ablationFindings([bare]).every((x) => x.direction === 'inconclusive' && x.interval === null));
  assert.deepEqual(ablationFindings([{ ...table, rows: table.rows.filter((r) => r.source === 'ours') }]), []);
});
