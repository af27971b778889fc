// sonic plots over a small store: curves of stepped metrics, comparisons across runs, the run timeline,
// the files it writes, and its usage errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRunStore } from '../../src/engine/store/run-store.js';
import type { Io } from '../../src/cli/run-command.js';
import { main as plotsMain } from '../../src/cli/commands/plots.js';
import { newRun, stageRunFields, tempDir } from '../engine/store/fixtures.js';

let dir = '';
let ws = '';
let cleanup = () => {};

function io(): Io & { out: string; err: string } {
  const c = { out: '', err: '', stdout: (s: string) => void (c.out += s), stderr: (s: string) => void (c.err += s), stdoutIsTTY: false, env: { SONIC_WORKSPACE: ws }, cwd: dir };
  return c;
}

before(() => {
  ({ dir, cleanup } = tempDir('sonic-plots-'));
  ws = join(dir, '.sonic');
  const store = openRunStore(ws);
  for (const [i, final] of [0.4, 0.3].entries()) {
    const run = newRun(store);
    for (const ablation of ['full', 'no_mse']) {
      const started = new Date(Date.UTC(2026, 0, 1, 10, i * 10));
      const sr = store.insertStageRun(stageRunFields(run.id, `train[ablation=${ablation}]`, { startedAt: started.toISOString() }));
      store.commitStageRun(sr.id, {
        artifacts: [],
        metrics: [
          ...[1, 0.7, 0.5].map((value, step) => ({ name: 'stage1_loss', value, step })),
          { name: 'final_loss', value: ablation === 'full' ? final : final + 0.1 },
        ],
        params: {},
        finishedAt: new Date(started.getTime() + 90_000).toISOString(),
        durationMs: 90_000,
        exitCode: 0,
      });
    }
    store.finishRun(run.id, 'succeeded');
  }
  store.close();
});

after(() => cleanup());

test('sonic plots writes a curve per stepped metric, a comparison per scalar metric and the latest run timeline', async () => {
  const c = io();
  assert.equal(await plotsMain(['--out', 'plots'], c), 0, c.err);
  const files = readdirSync(join(dir, 'plots')).sort();
  assert.deepEqual(files, [
    'compare-final-loss.svg', 'compare-final-loss.vl.json', 'curve-stage1-loss.svg', 'curve-stage1-loss.vl.json', 'timeline-run2.svg', 'timeline-run2.vl.json',
  ]);
  assert.match(c.out, /^plots\/curve-stage1-loss.vl.json {2}plots\/curve-stage1-loss.svg$/m);
  const curve = JSON.parse(readFileSync(join(dir, 'plots', 'curve-stage1-loss.vl.json'), 'utf8'));
  assert.deepEqual([...new Set(curve.data.values.map((v: { series: string }) => v.series))], ['ablation=full', 'ablation=no_mse']);
  const timeline = JSON.parse(readFileSync(join(dir, 'plots', 'timeline-run2.vl.json'), 'utf8'));
  assert.deepEqual(timeline.data.values.map((v: { stage: string }) => v.stage), ['train[ablation=full]', 'train[ablation=no_mse]']);
  assert.match(readFileSync(join(dir, 'plots', 'timeline-run2.svg'), 'utf8'), /^<svg/);
});

test('sonic plots --run A --run B compares runs; --png adds PNGs; --no-timeline leaves the timeline out', async () => {
  const c = io();
  assert.equal(await plotsMain(['--out', 'cmp', '--name', 'final_loss', '--run', '1', '--run', 'latest', '--png', '--no-timeline'], c), 0, c.err);
  assert.deepEqual(readdirSync(join(dir, 'cmp')).sort(), ['compare-final-loss.png', 'compare-final-loss.svg', 'compare-final-loss.vl.json']);
  const spec = JSON.parse(readFileSync(join(dir, 'cmp', 'compare-final-loss.vl.json'), 'utf8'));
  assert.deepEqual(
    spec.data.values.map((v: { item: string; series: string; value: number }) => [v.item, v.series, v.value]),
    [['train[ablation=full]', 'run 1', 0.4], ['train[ablation=no_mse]', 'run 1', 0.5], ['train[ablation=full]', 'run 2', 0.3], ['train[ablation=no_mse]', 'run 2', 0.4]],
  );
});

test('sonic plots: --out is required, nothing to plot exits 1, a bad run exits with a message', async () => {
  let c = io();
  assert.equal(await plotsMain([], c), 2);
  assert.match(c.err, /--out DIR is required/);
  c = io();
  assert.equal(await plotsMain(['--out', 'none', '--name', 'nope', '--no-timeline'], c), 1);
  assert.match(c.err, /nothing to plot/);
  assert.equal(existsSync(join(dir, 'none')), false);
  c = io();
  assert.equal(await plotsMain(['--out', 'x', '--run', '99'], c), 1);
  assert.match(c.err, /no run with id 99/);
});
