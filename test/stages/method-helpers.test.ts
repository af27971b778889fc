import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDataset, writeDataset, classesOf } from '../../src/stages/common/dataset.js';
import { tablesFor } from '../../src/stages/method/evaluate.js';
import { pairSources } from '../../src/stages/method/edit-impl.js';
import { buildTable, formatCell, tableCsv, tableMarkdown } from '../../src/stages/method/paper-tables-impl.js';
import type { EvaluationRecord } from '../../src/stages/method/metric-names.js';
import { metricName } from '../../src/stages/method/metric-names.js';
import { TEXT_BASELINES } from '../../src/stages/method/ablation.js';

test('dataset manifest: read, write with relative media inside and absolute media outside the directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ds-'));
  try {
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'a', 'manifest.csv'), 'id,domain,label,caption,audio,image,split,intensity,source\nx1,hits,wood,"a, caption",x1.wav,x1.png,train,0.5,gh\nx2,hits,metal,,x2.wav,x2.png,test,0.25,gh\n');
    const rows = readDataset(join(dir, 'a'));
    assert.equal(rows.length, 2);
    assert.equal(rows[0]!.caption, 'a, caption');
    assert.equal(rows[1]!.audioPath, join(dir, 'a', 'x2.wav'));
    assert.deepEqual(classesOf(rows, 'hits'), ['metal', 'wood']);
    mkdirSync(join(dir, 'b'));
    writeDataset(join(dir, 'b'), rows);
    const text = readFileSync(join(dir, 'b', 'manifest.csv'), 'utf8');
    assert.ok(text.includes(join(dir, 'a', 'x1.wav')), 'media outside the output keep absolute paths');
    assert.deepEqual(readDataset(join(dir, 'b')).map((r) => r.imagePath), rows.map((r) => r.imagePath));
    writeFileSync(join(dir, 'a', 'manifest.csv'), 'id,domain,label,caption,audio,image,split,intensity\nx1,hits,wood,,x1.wav,x1.png,dev,0.5\n');
    assert.throws(() => readDataset(join(dir, 'a')), /manifest\.csv:2: field 'split' is 'dev'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the tables each evaluation lands in: an ablation file\'s tables, ablation tables on the ablated domains only', () => {
  const p = { allDomainTables: ['table1', 'table2'], ablationDomains: ['landscape', 'hits'] };
  assert.deepEqual(tablesFor('generation', 'full', 'hits', { ...p, tables: ['table1', 'table3', 'table4'] }), ['table1', 'table3', 'table4']);
  assert.deepEqual(tablesFor('generation', 'full', 'voices', { ...p, tables: ['table1', 'table3', 'table4'] }), ['table1']);
  assert.deepEqual(tablesFor('generation', 'no_mse', 'hits', { ...p, tables: ['table3'] }), ['table3']);
  assert.deepEqual(tablesFor('generation', 'no_mse', 'voices', { ...p, tables: ['table3'] }), []);
  assert.deepEqual(tablesFor('generation', 'anything', 'voices', { ...p, tables: undefined }), ['table1']);
  assert.deepEqual(tablesFor('editing', 'text_pnp', 'hits', { ...p, tables: undefined }), ['table2']);
  assert.deepEqual(tablesFor('generation', 'text_prompt', 'voices', { ...p, tables: undefined }), ['table1']);
});

test('edit sources are always of another class', () => {
  const labels = ['a', 'a', 'b', 'b', 'c', 'c', 'c', 'a'];
  const src = pairSources(labels);
  src.forEach((s, i) => assert.notEqual(labels[s], labels[i]));
  assert.throws(() => pairSources(['a', 'a']), /another class/);
});

function record(method: string, domain: string, AIC: number, tables: string[], ablation = 'full', correct = [1, 1, 0, 1]): EvaluationRecord {
  const fid = 'toy-features';
  const interval = { low: 0.1, high: 0.9 };
  return {
    task: 'generation', domain, method, ablation, base: ablation === 'full', tables, fidFeatures: fid, images: 4,
    values: { AIS: 0.6, AIC, IIS: 0.7, FID: 12.5 },
    names: { AIS: metricName(domain, 'AIS', fid), AIC: metricName(domain, 'AIC', fid), IIS: metricName(domain, 'IIS', fid), FID: metricName(domain, 'FID', fid) },
    chance: { AIC: 0.25, AIS: 0.5, IIS: 0.5 },
    intervals: { AIS: interval, AIC: interval, IIS: interval, FID: { low: 10, high: 15 } },
    bootstrap: { resamples: 200, fidResamples: 10, level: 0.95, seed: 0 },
    samples: {
      ids: ['a', 'b', 'c', 'd'], AIS: [0.6, 0.6, 0.6, 0.6], IIS: [0.7, 0.7, 0.7, 0.7], AIC: correct,
      fid: { generated: [[0, 1], [1, 0], [1, 1], [0, 0]].map((v) => v.map((x) => x + AIC)), reference: [[0, 1], [1, 0], [1, 1], [0, 0], [0.5, 0.5]] },
    },
  };
}

test('paper tables: ours and reported rows side by side, columns named like the logged metrics', () => {
  const reported = { source: 'the paper', tables: { table1: { title: 'Table 1', rows: [{ method: 'SonicDiffusion', domain: 'hits', AIS: 0.62, AIC: 0.6, IIS: 0.74, FID: 123.5 }] } } };
  const t = buildTable('table1', [record('SonicDiffusion', 'hits', 0.75, ['table1']), record('SonicDiffusion', 'landscape', 0.5, ['table1']), record('x', 'hits', 0.1, ['table3'])], reported, 'Toy');
  assert.deepEqual(t.columns, ['landscape AIS', 'landscape AIC', 'landscape IIS', 'landscape FID (toy-features)', 'hits AIS', 'hits AIC', 'hits IIS', 'hits FID (toy-features)']);
  assert.deepEqual(t.rows.map((r) => `${r.method}/${r.source}`), ['SonicDiffusion/ours', 'SonicDiffusion/reported']);
  assert.equal(t.rows[0]!.cells['hits AIC'], 0.75);
  assert.equal(t.rows[1]!.cells['hits FID (toy-features)'], 123.5);
  assert.equal(t.rows[1]!.cells['landscape AIC'], null);
  const md = tableMarkdown(t);
  assert.match(md, /\| SonicDiffusion \| reported \| — \| — \| — \| — \| 0\.620 \| 0\.600 \| 0\.740 \| 123\.5 \|/);
  // Our cells carry their interval: value [low, high].
  assert.match(md, /\| SonicDiffusion \| ours \| 0\.600 \[0\.10, 0\.90\] \| 0\.500 \[0\.10, 0\.90\] \| 0\.700 \[0\.10, 0\.90\] \| 12\.5 \[10\.0, 15\.0\] \|/);
  const csv = tableCsv(t);
  assert.match(csv, /^method,source,landscape AIS/);
  assert.match(csv, /\nSonicDiffusion,ours,"0\.600 \[0\.10, 0\.90\]","0\.500 \[0\.10, 0\.90\]",/);
});

test('paper tables: the text-prompted reference row comes after the audio rows whatever the record order', () => {
  const text = TEXT_BASELINES.text_prompt;
  const records = [
    record(text, 'hits', 0.7, ['table1'], 'text_prompt'),
    record('SonicDiffusion', 'hits', 0.4, ['table1', 'table3']),
    record('single token', 'hits', 0.3, ['table1'], 'single_token'),
    record(text, 'landscape', 0.8, ['table1'], 'text_prompt'),
  ];
  const reported = { source: 'the paper', tables: { table1: { title: 'Table 1', rows: [{ method: 'SonicDiffusion', domain: 'hits', AIC: 0.6 }] } } };
  const t1 = buildTable('table1', records, reported, 'Toy');
  assert.deepEqual(t1.rows.map((r) => `${r.method}/${r.source}`), ['SonicDiffusion/ours', 'SonicDiffusion/reported', 'single token/ours', `${text}/ours`]);
  assert.equal(t1.rows[3]!.cells['landscape AIC'], 0.8);
  assert.equal(t1.rows[3]!.cells['hits AIC'], 0.7);
  assert.ok(!buildTable('table3', records, reported, 'Toy').rows.some((r) => r.method === text));
});

test('paper tables: an ablation row carries the paired bootstrap interval of its difference from the full model', () => {
  const full = record('SonicDiffusion', 'hits', 0.75, ['table3'], 'full', [1, 1, 0, 1]);
  const worse = record('w/o MSE loss', 'hits', 0, ['table3'], 'no_mse', [0, 0, 0, 0]);
  const same = record('same', 'hits', 0.75, ['table3'], 'same', [1, 1, 0, 1]);
  const t = buildTable('table3', [worse, full, same], null, 'Toy', { resamples: 300, fidResamples: 10, level: 0.95, seed: 3 });
  assert.deepEqual(t.rows.map((r) => `${r.method}/${r.kind}`), ['SonicDiffusion/base', 'w/o MSE loss/ablation', 'same/ablation']);
  assert.equal(t.rows[0]!.differences, undefined);
  const d = t.rows[1]!.differences!['hits AIC']!;
  assert.ok(Math.abs(d.estimate - -0.75) < 1e-12);
  assert.ok(d.high < 0 && d.low >= -1, `[${d.low}, ${d.high}]`);
  // Identical per-clip outcomes: every resample gives a difference of exactly 0.
  assert.deepEqual(t.rows[2]!.differences!['hits AIC'], { estimate: 0, low: 0, high: 0 });
  assert.deepEqual(t.rows[2]!.differences!['hits AIS'], { estimate: 0, low: 0, high: 0 });
  assert.ok(Number.isFinite(t.rows[1]!.differences!['hits FID (toy-features)']!.estimate));
});

test('paper tables: a model trained with several seeds shows the seed mean ± standard deviation and one interval', () => {
  const full = [record('SonicDiffusion', 'hits', 0.75, ['table3'], 'full', [1, 1, 0, 1]), record('SonicDiffusion', 'hits', 0.25, ['table3'], 'full', [0, 1, 0, 0])];
  const ablation = [record('w/o MSE loss', 'hits', 0, ['table3'], 'no_mse', [0, 0, 0, 0]), record('w/o MSE loss', 'hits', 0, ['table3'], 'no_mse', [0, 0, 0, 0])];
  const settings = { resamples: 300, fidResamples: 10, level: 0.95, seed: 1 };
  const t = buildTable('table3', [...full, ...ablation], null, 'Toy', settings);
  const base = t.rows[0]!;
  assert.equal(base.seeds, 2);
  assert.equal(base.cells['hits AIC'], 0.5);
  assert.ok(Math.abs(base.spreads!['hits AIC']! - Math.SQRT1_2 * 0.5) < 1e-12); // sd of (0.75, 0.25)
  const ci = base.intervals!['hits AIC']!;
  assert.ok(ci.low >= 0 && ci.low < 0.5 && ci.high > 0.5 && ci.high <= 1, `[${ci.low}, ${ci.high}]`);
  assert.match(tableMarkdown(t), /\| SonicDiffusion \| ours \| 0\.600 ± 0\.000 \[0\.60, 0\.60\] \| 0\.500 ± 0\.354 \[/);
  assert.match(tableMarkdown(t), /mean ± standard deviation across seeds/);
  // The paired difference compares the seed means on the same resamples: 0 − 0.5.
  assert.ok(Math.abs(t.rows[1]!.differences!['hits AIC']!.estimate + 0.5) < 1e-12);
  assert.equal(formatCell('hits FID (x)', 12.345, { low: 10, high: 15 }, 0.44), '12.3 ± 0.4 [10.0, 15.0]');
  assert.equal(formatCell('hits AIC', null), '');
});
