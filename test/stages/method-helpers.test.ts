import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDataset, writeDataset, classesOf } from '../../src/stages/common/dataset.js';
import { defaultTables } from '../../src/stages/method/evaluate.js';
import { pairSources } from '../../src/stages/method/edit-impl.js';
import { buildTable, tableCsv, tableMarkdown } from '../../src/stages/method/paper-tables-impl.js';
import type { EvaluationRecord } from '../../src/stages/method/metric-names.js';
import { metricName } from '../../src/stages/method/metric-names.js';
import { ablationSwitches, TEXT_BASELINES } from '../../src/stages/method/ablation.js';

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

test('ablation switches and the tables each evaluation lands in', () => {
  assert.deepEqual(ablationSwitches('no_stage1'), { stage1: false, contrastive: true, mse: true, singleToken: false, trainProjectorInStage2: true });
  assert.equal(ablationSwitches('frozen_projector').trainProjectorInStage2, false);
  assert.deepEqual(defaultTables('generation', 'full', 'hits', ['landscape', 'hits']), ['table1', 'table3', 'table4']);
  assert.deepEqual(defaultTables('generation', 'full', 'voices', ['landscape', 'hits']), ['table1']);
  assert.deepEqual(defaultTables('generation', 'no_mse', 'hits', ['landscape', 'hits']), ['table3']);
  assert.deepEqual(defaultTables('generation', 'single_token', 'hits', ['landscape', 'hits']), ['table1', 'table4']);
  assert.deepEqual(defaultTables('editing', 'text_pnp', 'hits', ['landscape', 'hits']), ['table2']);
  assert.deepEqual(defaultTables('generation', 'text_prompt', 'hits', ['landscape', 'hits']), ['table1']);
  assert.deepEqual(defaultTables('generation', 'text_prompt', 'voices', ['landscape', 'hits']), ['table1']);
});

test('edit sources are always of another class', () => {
  const labels = ['a', 'a', 'b', 'b', 'c', 'c', 'c', 'a'];
  const src = pairSources(labels);
  src.forEach((s, i) => assert.notEqual(labels[s], labels[i]));
  assert.throws(() => pairSources(['a', 'a']), /another class/);
});

function record(method: string, domain: string, AIC: number, tables: string[], ablation = 'full'): EvaluationRecord {
  const fid = 'toy-features';
  return {
    task: 'generation', domain, method, ablation, tables, fidFeatures: fid, images: 4,
    values: { AIS: 0.6, AIC, IIS: 0.7, FID: 12.5 },
    names: { AIS: metricName(domain, 'AIS', fid), AIC: metricName(domain, 'AIC', fid), IIS: metricName(domain, 'IIS', fid), FID: metricName(domain, 'FID', fid) },
    chance: { AIC: 0.25, AIS: 0.5, IIS: 0.5 },
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
  assert.match(md, /\| SonicDiffusion \| reported \| — \| — \| — \| — \| 0\.6200 \| 0\.6000 \| 0\.7400 \| 123\.5 \|/);
  assert.match(tableCsv(t), /^method,source,landscape AIS/);
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
