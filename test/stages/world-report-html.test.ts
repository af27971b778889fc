// The world's index.html from its parts: the tables with the paper's rows beside ours, the pictures, the
// plots, the findings and how the run was made; everything linked is a relative file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { worldReportHtml, type WorldReportContent } from '../../src/stages/method/world-report-html.js';
import type { BuiltTable } from '../../src/stages/method/paper-tables-impl.js';

const table1: BuiltTable = {
  name: 'table1',
  title: 'Table 1: audio-driven image generation — SonicToy',
  columns: ['hits AIS', 'hits AIC', 'hits IIS', 'hits FID (toy-features)'],
  rows: [
    { method: 'SonicDiffusion', source: 'ours', cells: { 'hits AIS': 0.51, 'hits AIC': 0.3125, 'hits IIS': 0.5, 'hits FID (toy-features)': 2.46 }, intervals: { 'hits AIS': null, 'hits AIC': { low: 0.2, high: 0.43 }, 'hits IIS': null, 'hits FID (toy-features)': null } },
    { method: 'SonicDiffusion', source: 'reported', cells: { 'hits AIS': 0.6237, 'hits AIC': 0.605, 'hits IIS': 0.7411, 'hits FID (toy-features)': 123.5 } },
  ],
  notes: ['AIC chance: hits: 0.125.'],
};

function content(): WorldReportContent {
  return {
    world: 'SonicToy',
    profile: 'quick',
    about: 'Stage 1: 4 steps.',
    tables: [table1],
    records: [],
    baselineNotes: [],
    findings: ["1 of 1 ablation AIC differences have the paper's sign.", '', '- hits, w/o MSE loss (table3): AIC −0.1 (ours), −0.2 (paper): same direction'],
    pictures: [{ file: 'pictures/generation-hits.png', caption: 'hits, SonicDiffusion: generated above real', kind: 'generation', width: 900 }],
    plots: {
      curves: [{ file: 'plots/curve-stage1-loss.svg', spec: 'plots/curve-stage1-loss.vl.json', caption: 'Stage 1 loss' }],
      comparisons: [{ table: 'table1', file: 'plots/aic-table1.svg', spec: 'plots/aic-table1.vl.json', caption: 'AIC' }],
      timeline: { file: 'plots/timeline.svg', spec: 'plots/timeline.vl.json', caption: 'timeline' },
    },
    run: {
      run: { id: 3, pipelineName: 'sonictoy', pipelineFile: '/w/pipelines/sonictoy.yaml', argv: ['run', 'pipelines/sonictoy.yaml'], startedAt: '2026-01-01T10:00:00.000Z', host: 'box', commit: '0123456789abcdef0123456789abcdef01234567', dirty: true },
      stages: [
        { stageId: 'toy_clip', baseId: 'toy_clip', uses: 'train-toy-clip', status: 'cached', reason: 'cached (stage run 2 of run 1)', stageRunId: 2, runId: 1, startedAt: '2026-01-01T09:00:00.000Z', finishedAt: '2026-01-01T09:00:12.000Z', durationMs: 12000, logPath: null, metrics: [] },
        { stageId: 'tables', baseId: 'tables', uses: 'paper-tables', status: 'succeeded', reason: 'never ran', stageRunId: 9, runId: 3, startedAt: '2026-01-01T10:00:00.000Z', finishedAt: '2026-01-01T10:00:02.000Z', durationMs: 2000, logPath: null, metrics: [] },
      ],
    },
    backends: ['wasm'],
    writtenAt: '2026-01-01T10:00:05.000Z',
  };
}

test('index.html: the table with ours and the paper side by side, grouped by domain, with links to its files', () => {
  const html = worldReportHtml(content());
  assert.match(html, /<h3>Table 1: audio-driven image generation — SonicToy<\/h3>/);
  assert.match(html, /<th colspan="4" class="group">hits<\/th>/);
  assert.match(html, /<tr><td>SonicDiffusion<\/td><td><span class="tag">ours<\/span><\/td><td class="num">0.510<\/td><td class="num">0.313<br><span class="ci">\[0.20, 0.43\]<\/span><\/td>/);
  assert.match(html, /<tr class="reported"><td>SonicDiffusion<\/td><td><span class="tag">paper<\/span><\/td><td class="num">0.624<\/td><td class="num">0.605<\/td><td class="num">0.741<\/td><td class="num">123.5<\/td>/);
  assert.match(html, />FID\*<\/th>/);
  assert.match(html, /FID\* = FID \(toy-features\) \(ours\)/);
  assert.match(html, /<a href="table1.csv">table1.csv<\/a>/);
});

test('index.html: pictures, plots, findings, the run timeline and how the run was made', () => {
  const html = worldReportHtml(content());
  assert.match(html, /<figure class="wide"><a href="pictures\/generation-hits.png"><img src="pictures\/generation-hits.png"/);
  for (const f of ['plots/curve-stage1-loss.svg', 'plots/aic-table1.svg', 'plots/timeline.svg']) assert.ok(html.includes(`<img src="${f}"`), f);
  assert.match(html, /<span class="same">same direction<\/span>/);
  assert.match(html, /<dt>Commit<\/dt><dd>0123456789ab \(uncommitted changes\)<\/dd>/);
  assert.match(html, /<dt>Profile<\/dt><dd>quick<\/dd>/);
  assert.match(html, /<dt>Backend<\/dt><dd>wasm<\/dd>/);
  assert.match(html, /<dt>Stage time<\/dt><dd>14.0 s over 2 stages \(1 run now, 1 reused\)<\/dd>/);
  assert.match(html, /<summary>Stages by duration \(2\)<\/summary>/);
  assert.match(html, /<td>toy_clip<\/td><td>reused \(run 1\)<\/td><td class="num">12.0 s<\/td>/);
  assert.doesNotMatch(html, /:\/\//, 'the page refers to nothing over the network');
});

test('index.html without a run record (a stage context outside a run) still has the tables and pictures', () => {
  const html = worldReportHtml({ ...content(), run: null, plots: { curves: [], comparisons: [], timeline: null }, backends: [] });
  assert.match(html, /Table 1: audio-driven image generation/);
  assert.match(html, /pictures\/generation-hits.png/);
  assert.doesNotMatch(html, /id="timeline"|id="curves"/);
  assert.match(html, /<dt>Backend<\/dt><dd>not logged<\/dd>/);
});
