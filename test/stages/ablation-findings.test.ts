import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ablationFindingLines, ablationFindings } from '../../src/stages/method/ablation-findings.js';
import type { BuiltTable } from '../../src/stages/method/paper-tables-impl.js';

const table: BuiltTable = {
  name: 'table3',
  title: 'Table 3: ablations',
  columns: ['landscape AIS', 'landscape AIC', 'hits AIC'],
  notes: [],
  rows: [
    { method: 'SonicDiffusion', source: 'ours', cells: { 'landscape AIS': 0.7, 'landscape AIC': 0.5, 'hits AIC': 0.4 } },
    { method: 'SonicDiffusion', source: 'reported', cells: { 'landscape AIS': 0.7, 'landscape AIC': 0.54, 'hits AIC': 0.6 } },
    { method: 'w/o MSE loss', source: 'ours', cells: { 'landscape AIS': 0.7, 'landscape AIC': 0.65, 'hits AIC': 0.1 } },
    { method: 'w/o MSE loss', source: 'reported', cells: { 'landscape AIS': 0.6, 'landscape AIC': 0.4, 'hits AIC': 0.4 } },
    { method: 'w/o stage 1', source: 'ours', cells: { 'landscape AIS': 0.5, 'landscape AIC': 0.1, 'hits AIC': null } },
    { method: 'w/o stage 1', source: 'reported', cells: { 'landscape AIS': 0.6, 'landscape AIC': 0.06, 'hits AIC': 0.09 } },
    { method: 'PnP (text)', source: 'ours', cells: { 'landscape AIS': 0.8, 'landscape AIC': 0.7, 'hits AIC': 0.7 } },
    { method: 'PnP (text)', source: 'reported', cells: { 'landscape AIS': null, 'landscape AIC': 0.68, 'hits AIC': 0.66 } },
  ],
};

test('ablation findings: AIC differences to the full model, ours against the paper, with the standard error', () => {
  const f = ablationFindings([table], (d) => (d === 'landscape' ? 100 : undefined));
  // A missing cell skips that comparison; baselines that are not ablations are left out.
  assert.deepEqual(f.map((x) => [x.domain, x.method, x.direction]), [
    ['landscape', 'w/o MSE loss', 'opposite'],
    ['landscape', 'w/o stage 1', 'same'],
    ['hits', 'w/o MSE loss', 'same'],
  ]);
  assert.ok(Math.abs(f[0]!.standardError! - 0.05) < 1e-12); // sqrt(0.5·0.5/100)
  assert.equal(f[2]!.standardError, null);
  const lines = ablationFindingLines(f);
  assert.equal(lines[0], "2 of 3 ablation AIC differences have the paper's sign.");
  assert.equal(lines[2], "- landscape, w/o MSE loss (table3): AIC +0.150 vs the full model (ours), −0.140 (paper): opposite direction; our full model's AIC has standard error 0.050");
  assert.match(lines[3]!, /w\/o stage 1 \(table3\): AIC −0\.400 .* same direction; our full model's AIC has standard error 0\.050$/);
  assert.equal(lines[4], '- hits, w/o MSE loss (table3): AIC −0.300 vs the full model (ours), −0.200 (paper): same direction');
  const noisy = ablationFindingLines(ablationFindings([table], () => 4));
  assert.match(noisy[2]!, /standard error 0\.250, so this difference is within 2 s\.e\.$/);
  assert.deepEqual(ablationFindingLines([]), []);
  const unchanged = { ...table, rows: table.rows.map((r) => (r.method === 'w/o stage 1' && r.source === 'ours' ? { ...r, cells: { ...r.cells, 'landscape AIC': 0.5 } } : r)) };
  const u = ablationFindings([unchanged], () => undefined).find((x) => x.method === 'w/o stage 1')!;
  assert.equal(u.direction, 'none');
  assert.match(ablationFindingLines([u])[2]!, /AIC \+0\.000 vs the full model \(ours\), −0\.480 \(paper\): no change in ours$/);
  assert.equal(ablationFindingLines([u])[0], "0 of 1 ablation AIC differences have the paper's sign.");
  assert.deepEqual(ablationFindings([{ ...table, rows: table.rows.filter((r) => r.source === 'ours') }], () => 10), []);
});
