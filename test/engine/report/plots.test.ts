// Vega-Lite specs of curves, comparisons and timelines: their content, their SVG rendering in Node, and
// PNGs that are the same bytes every time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  comparisonSpec,
  metricPlots,
  renderSpecToPng,
  renderSpecToSvg,
  runTimelinePlot,
  shortSeriesNames,
  stepCurveSpecs,
  timelineBars,
  timelineSpec,
  writePlot,
} from '../../../src/engine/report/plots/index.js';
import { decodePng } from '../../../src/data/media/png.js';
import type { MetricRecord, StageRunRecord } from '../../../src/engine/store/store-api.js';

type AnySpec = Record<string, any>;

const loss = (stageId: string, steps: number, runId = 1) =>
  Array.from({ length: steps }, (_, step) => ({ stageId, runId, name: 'stage1_loss', value: 1 / (step + 1), step }));

test('stepCurveSpecs: one spec per stepped metric, one series per stage, matrix stages shortened to their values', () => {
  const specs = stepCurveSpecs([...loss('train[data=a]', 3), ...loss('train[data=b]', 3), { stageId: 'x', name: 'scalar', value: 1, step: null }]);
  assert.deepEqual(specs.map((s) => s.name), ['stage1_loss']);
  const spec = specs[0]!.spec as AnySpec;
  assert.equal(spec.mark.type, 'line');
  assert.equal(spec.encoding.x.field, 'step');
  assert.equal(spec.encoding.y.field, 'value');
  assert.deepEqual([...new Set(spec.data.values.map((v: AnySpec) => v.series))], ['data=a', 'data=b']);
  assert.equal(spec.data.values.length, 6);
  assert.match(spec.title.subtitle, /6 points, 2 series of train/);
});

test('stepCurveSpecs: records of several runs are told apart by run', () => {
  const [c] = stepCurveSpecs([...loss('s', 2, 1), ...loss('s', 2, 2)]);
  assert.deepEqual([...new Set((c!.spec as AnySpec).data.values.map((v: AnySpec) => v.series))], ['run 1 · s', 'run 2 · s']);
});

test('shortSeriesNames keeps names that do not share one matrix stage', () => {
  assert.deepEqual([...shortSeriesNames(['toy_clip', 'toy_clap']).values()], ['toy_clip', 'toy_clap']);
  assert.deepEqual([...shortSeriesNames(['t[a=1]', 'u[a=1]']).values()], ['t[a=1]', 'u[a=1]']);
  assert.deepEqual([...shortSeriesNames(['t[a=1,b=2]', 't[a=2,b=2]']).values()], ['a=1, b=2', 'a=2, b=2']);
});

test('comparisonSpec: panels become a facet with a reference rule; a single series gets one colour', () => {
  const faceted = comparisonSpec({
    title: 'AIC',
    metric: 'AIC',
    values: [
      { item: 'full', series: 'ours', value: 0.3, panel: 'hits', reference: 0.125 },
      { item: 'full', series: 'paper', value: 0.6, panel: 'hits', reference: 0.125 },
      { item: 'full', series: 'ours', value: 0.2, panel: 'voices', reference: 0.167 },
    ],
  }) as AnySpec;
  assert.deepEqual(faceted.facet.column.sort, ['hits', 'voices']);
  assert.ok(faceted.spec.layer.some((l: AnySpec) => l.mark.type === 'rule' && l.encoding.x.field === 'reference'));
  assert.deepEqual(faceted.spec.layer[0].encoding.color.sort, ['ours', 'paper']);
  const single = comparisonSpec({ title: 't', metric: 'm', values: [{ item: 'a', series: '', value: 1 }, { item: 'b', series: '', value: 2 }] }) as AnySpec;
  assert.equal(single.facet, undefined);
  assert.deepEqual(single.layer[0].encoding.color, { value: '#4c78a8' });
});

test('timelineSpec: times relative to the first start in a readable unit, states coloured in a fixed order', () => {
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const spec = timelineSpec({
    title: 'run',
    bars: [
      { label: 'b', state: 'failed', start: t0 + 60_000, end: t0 + 300_000 },
      { label: 'a', state: 'succeeded', start: t0, end: t0 + 60_000 },
    ],
  }) as AnySpec;
  assert.deepEqual(spec.data.values, [
    { stage: 'a', state: 'succeeded', from: 0, to: 1 },
    { stage: 'b', state: 'failed', from: 1, to: 5 },
  ]);
  assert.match(spec.encoding.x.title, /^minutes since/);
  assert.deepEqual(spec.encoding.color.scale.domain, ['succeeded', 'failed']);
  assert.equal(spec.encoding.y.sort[0], 'a');
});

test('timelineBars and runTimelinePlot leave out stage runs without both times and do not draw cached ones', () => {
  const base = { stageId: 's', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:02.000Z' };
  assert.equal(timelineBars([{ ...base, status: 'succeeded' }, { ...base, status: 'running', finishedAt: null }]).length, 1);
  const runs = [{ ...base, status: 'succeeded' }, { ...base, stageId: 'c', status: 'cached' }] as unknown as StageRunRecord[];
  const plot = runTimelinePlot(7, runs)!;
  assert.equal(plot.name, 'timeline-run7');
  assert.match((plot.spec as AnySpec).title.subtitle, /1 stage run executed, 1 cached \(not shown\)/);
  assert.equal(runTimelinePlot(7, runs.slice(1)), null);
});

test('metricPlots: curves for stepped metrics, comparisons for scalar ones with the tags that differ within a stage', () => {
  const rec = (stageId: string, name: string, value: number, step: number | null, tags: Record<string, string> = {}): MetricRecord => ({ id: 0, stageRunId: 0, stageId, runId: 1, name, value, step, tags });
  const plots = metricPlots(
    [rec('t', 'loss', 2, 0), rec('t', 'loss', 1, 1), rec('e', 'AIC', 0.3, null, { table: 't1', d: 'x' }), rec('e', 'AIC', 0.3, null, { table: 't3', d: 'x' }), rec('only', 'single', 1, null)],
    { byRun: false },
  );
  assert.deepEqual(plots.map((p) => p.name), ['curve-loss', 'compare-aic']);
  const items = (plots[1]!.spec as AnySpec).data.values.map((v: AnySpec) => v.item);
  assert.deepEqual(items, ['e {table=t1}', 'e {table=t3}']);
});

test('specs render to SVG in Node, with the title, the legend and one coloured line per series', async () => {
  const [c] = stepCurveSpecs([...loss('s[a=1]', 4), ...loss('s[a=2]', 4)]);
  const svg = await renderSpecToSvg(c!.spec);
  assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, />stage1_loss</);
  assert.match(svg, />a=1</);
  assert.match(svg, />a=2</);
  assert.match(svg, /class="mark-line/);
  const strokes = new Set([...svg.matchAll(/<path [^>]*stroke="(#[0-9a-f]{6})"[^>]*stroke-width="1.6"/g)].map((m) => m[1]));
  assert.equal(strokes.size, 2, 'one coloured line per series');
});

test('PNG renderings are byte-repeatable and writePlot writes spec, SVG and PNG', async () => {
  const spec = timelineSpec({ title: 'run', bars: [{ label: 'a', state: 'succeeded', start: 0, end: 5000 }] });
  const a = await renderSpecToPng(spec);
  const b = await renderSpecToPng(spec);
  assert.ok(a.equals(b), 'two renderings of one spec differ');
  const img = decodePng(a);
  assert.ok(img.width > 300 && img.height > 50);
  const dir = mkdtempSync(join(tmpdir(), 'sonic-plots-'));
  try {
    const w = await writePlot(dir, 'timeline', spec, { png: true });
    assert.deepEqual(JSON.parse(readFileSync(join(dir, w.spec), 'utf8')), JSON.parse(JSON.stringify(spec)));
    assert.match(readFileSync(join(dir, w.svg), 'utf8'), /<svg/);
    assert.ok(decodePng(readFileSync(join(dir, w.png!))).width > img.width, 'the PNG of writePlot is drawn at twice the size');
    await assert.rejects(writePlot(dir, '../x', spec), /plot name/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
