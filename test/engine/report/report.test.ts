import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricRecord } from '../../../src/engine/store/store-api.js';
import { metricsTable, MetricsTableError } from '../../../src/engine/report/metrics-table.js';
import { diffTable } from '../../../src/engine/report/diff-table.js';
import { renderCsv, renderJson, renderMarkdown, renderTerminal } from '../../../src/engine/report/render.js';
import { formatBytes, formatDuration, formatHuman } from '../../../src/engine/report/format-number.js';
import type { Table } from '../../../src/engine/report/table.js';

let nextId = 1;
function m(stageId: string, name: string, value: number, tags: Record<string, string> = {}, extra: Partial<MetricRecord> = {}): MetricRecord {
  return { id: nextId++, stageRunId: 1, stageId, runId: 1, name, value, step: null, tags, ...extra };
}

const sample: Table = {
  title: 'Table 1',
  columns: [
    { key: 'method', label: 'method' },
    { key: 'ais', label: 'AIS' },
    { key: 'note', label: 'note' },
  ],
  rows: [
    { method: 'ours', ais: 0.123456789, note: 'a|b' },
    { method: 'baseline, v2', ais: 12, note: null },
  ],
};

test('number formatting: 4 significant digits for people', () => {
  assert.deepEqual(
    [0.123456789, 12, 1234.5678, 123456.7, 0.5, 1.5e-7, -0.000123456, Number.NaN, Infinity].map(formatHuman),
    ['0.1235', '12', '1235', '123457', '0.5', '1.5e-7', '-0.0001235', 'NaN', 'inf'],
  );
});

test('byte sizes and durations for people', () => {
  assert.deepEqual([0, 1023, 1536, 5 * 1024 ** 3].map(formatBytes), ['0 B', '1023 B', '1.5 KiB', '5 GiB']);
  assert.deepEqual([950, 12_345, 83_000, 3_725_000].map(formatDuration), ['0.95s', '12.3s', '1m23s', '1h02m']);
});

test('terminal rendering aligns columns (numbers right) and has no color unless asked', () => {
  assert.equal(
    renderTerminal(sample),
    ['Table 1', 'method           AIS  note', '------------  ------  ----', 'ours          0.1235  a|b', 'baseline, v2      12'].join('\n') + '\n',
  );
  assert.match(renderTerminal(sample, { color: true }), /\x1b\[1m/);
  assert.equal(renderTerminal({ columns: [{ key: 'x', label: 'x' }], rows: [] }), 'x\n-\n(no rows)\n');
});

test('markdown rendering escapes pipes and marks numeric columns right-aligned', () => {
  assert.equal(
    renderMarkdown(sample),
    ['**Table 1**', '', '| method | AIS | note |', '|:---|---:|:---|', '| ours | 0.1235 | a\\|b |', '| baseline, v2 | 12 |  |'].join('\n') + '\n',
  );
});

test('csv keeps full precision and quotes fields that need it', () => {
  assert.equal(renderCsv(sample), 'method,AIS,note\nours,0.123456789,a|b\n"baseline, v2",12,\n');
});

test('json is an array of row objects in column order, full precision', () => {
  assert.equal(
    renderJson(sample),
    JSON.stringify([{ method: 'ours', ais: 0.123456789, note: 'a|b' }, { method: 'baseline, v2', ais: 12, note: null }], null, 2) + '\n',
  );
});

const ablation = [
  m('eval[ablation=full]', 'ais', 0.61, { ablation: 'full', data: 'hits' }),
  m('eval[ablation=full]', 'aic', 0.52, { ablation: 'full', data: 'hits' }),
  m('eval[ablation=no_mse]', 'ais', 0.58, { ablation: 'no_mse', data: 'hits' }),
];

test('pivot: names on rows, an ablation tag on columns; missing cells are empty', () => {
  const t = metricsTable(ablation, { rows: ['name'], columns: ['tag:ablation'] });
  assert.deepEqual(t.columns.map((c) => c.label), ['name', 'full', 'no_mse']);
  assert.deepEqual(t.rows, [
    { name: 'aic', full: 0.52, no_mse: null },
    { name: 'ais', full: 0.61, no_mse: 0.58 },
  ]);
  assert.equal(renderCsv(t), 'name,full,no_mse\naic,0.52,\nais,0.61,0.58\n');
  const rowsOnly = metricsTable(ablation, { rows: ['stage', 'name'], columns: [] });
  assert.deepEqual(rowsOnly.columns.map((c) => c.key), ['stage', 'name', 'value']);
  assert.equal(rowsOnly.rows.length, 3);
});

test('pivot refuses two different values in one cell, naming the cell and the dimension that splits them', () => {
  assert.throws(
    () => metricsTable(ablation, { rows: ['name'], columns: ['tag:data'] }),
    (e: Error) =>
      e instanceof MetricsTableError &&
      e.message.includes('cell (name=ais, data=hits)') &&
      e.message.includes('0.61, 0.58') &&
      e.message.includes('stage, tag:ablation'),
  );
  const mean = metricsTable(ablation, { rows: ['name'], columns: ['tag:data'], value: 'mean' });
  assert.ok(Math.abs((mean.rows[1]!['hits'] as number) - 0.595) < 1e-12);
  assert.throws(() => metricsTable(ablation, { rows: ['bogus'], columns: [] }), /unknown dimension "bogus"/);
});

test('plain listing when no pivot is asked for', () => {
  const t = metricsTable([m('s', 'loss', 0.25, { k: 'v' }, { step: 3, runId: 7 })], { rows: [], columns: [] });
  assert.equal(renderCsv(t), 'run,stage,name,step,tags,value\n7,s,loss,3,k=v,0.25\n');
});

test('diff: delta, relative delta, one-sided metrics', () => {
  const a = [m('eval', 'ais', 0.5), m('eval', 'fid', 20), m('eval', 'old', 1)];
  const b = [m('eval', 'ais', 0.6), m('eval', 'fid', 20), m('eval', 'new', 2)];
  const t = diffTable(a, b, { labelA: 'run 1', labelB: 'run 2' });
  assert.equal(
    renderCsv(t),
    [
      'stage,name,step,tags,run 1,run 2,delta,delta %',
      'eval,ais,,,0.5,0.6,0.09999999999999998,19.999999999999996',
      'eval,fid,,,20,20,0,0',
      'eval,new,,,,2,,',
      'eval,old,,,1,,,',
    ].join('\n') + '\n',
  );
  assert.deepEqual(diffTable(a, b, { changedOnly: true }).rows.map((r) => r['name']), ['ais', 'new', 'old']);
  assert.equal(renderMarkdown(diffTable([a[0]!], [b[0]!])).split('\n')[2], '| eval | ais |  |  | 0.5 | 0.6 | 0.1 | 20 |');
});
