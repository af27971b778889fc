import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRunStore } from '../../src/engine/store/run-store.js';
import { openWorkspace } from '../../src/engine/store/workspace.js';
import type { Io } from '../../src/cli/run-command.js';
import { main as runsMain } from '../../src/cli/commands/runs.js';
import { main as metricsMain } from '../../src/cli/commands/metrics.js';
import { main as diffMain } from '../../src/cli/commands/diff.js';
import { main as queryMain } from '../../src/cli/commands/query.js';
import { main as artifactsMain } from '../../src/cli/commands/artifacts.js';
import { main as gcMain } from '../../src/cli/commands/gc.js';
import { acquireWorkspaceLock } from '../../src/engine/runner/workspace-lock.js';
import { newRun, stageRunFields, tempDir } from '../engine/store/fixtures.js';

let dir = '';
let cleanup = () => {};
let ws = '';

function io(): Io & { out: string; err: string } {
  const captured = {
    out: '',
    err: '',
    stdout: (s: string) => void (captured.out += s),
    stderr: (s: string) => void (captured.err += s),
    stdoutIsTTY: false,
    env: { SONIC_WORKSPACE: ws },
    cwd: dir,
  };
  return captured;
}

before(async () => {
  ({ dir, cleanup } = tempDir('sonic-cli-'));
  ws = join(dir, '.sonic');
  const workspace = openWorkspace(ws);
  const store = openRunStore(ws);
  for (const [i, values] of [[0.5, 0.4], [0.6, 0.4]].entries()) {
    const run = newRun(store);
    for (const [j, ablation] of ['full', 'no_mse'].entries()) {
      const sr = store.insertStageRun(stageRunFields(run.id, `eval[ablation=${ablation}]`));
      writeFileSync(join(dir, 'out'), `run ${i} ${ablation}`);
      const obj = await workspace.objects.ingest(join(dir, 'out'));
      store.commitStageRun(sr.id, {
        artifacts: [{ name: 'scores', ...obj }],
        metrics: [{ name: 'ais', value: values[j]!, tags: { ablation } }],
        params: {},
        finishedAt: new Date().toISOString(),
        durationMs: 3,
        exitCode: 0,
      });
    }
    store.finishRun(run.id, 'succeeded');
  }
  writeFileSync(join(dir, 'orphan'), 'orphan');
  await workspace.objects.ingest(join(dir, 'orphan'));
  store.close();
});

after(() => cleanup());

test('sonic metrics pivots the current results into csv', async () => {
  const c = io();
  assert.equal(await metricsMain(['--rows', 'name', '--cols', 'tag:ablation', '--format', 'csv'], c), 0, c.err);
  assert.equal(c.out, 'name,full,no_mse\nais,0.6,0.4\n');
});

test('sonic metrics --run latest~1 --tag, --out with format from the extension', async () => {
  const c = io();
  const out = join(dir, 'results', 'm.md');
  assert.equal(await metricsMain(['--run', 'latest~1', '--tag', 'ablation=full', '--rows', 'stage', '--out', out], c), 0, c.err);
  assert.equal(readFileSync(out, 'utf8'), '| stage | value |\n|:---|---:|\n| eval[ablation=full] | 0.5 |\n');
});

test('sonic metrics: bad flags and values exit 2 with a message, conflicting cells exit 1', async () => {
  let c = io();
  assert.equal(await metricsMain(['--bogus'], c), 2);
  assert.match(c.err, /sonic metrics: unknown option --bogus\n/);
  assert.match(c.err, /usage: sonic metrics/);
  c = io();
  assert.equal(await metricsMain(['--stgae', 'x'], c), 2);
  assert.match(c.err, /sonic metrics: unknown option --stgae \(did you mean "--stage"\?\)/);
  c = io();
  assert.equal(await metricsMain(['--format', 'xml'], c), 2);
  assert.match(c.err, /--format must be one of table, md, csv, json/);
  c = io();
  assert.equal(await metricsMain(['--tag', 'noequals'], c), 2);
  c = io();
  assert.equal(await metricsMain(['--rows', 'name', '--cols', 'step'], c), 1);
  assert.match(c.err, /cell \(name=ais, step=null\) gets 2 different values/);
  assert.doesNotMatch(c.err, /    at /);
});

test('missing workspace: clear message, exit 1', async () => {
  const c = io();
  c.env = {};
  c.cwd = join(dir, 'elsewhere');
  assert.equal(await runsMain([], c), 1);
  assert.equal(c.err, `sonic runs: no .sonic workspace at ${join(dir, 'elsewhere', '.sonic')} (run \`sonic run\` first)\n`);
});

test('sonic runs lists newest first', async () => {
  const c = io();
  assert.equal(await runsMain(['--format', 'json', '--limit', '5'], c), 0, c.err);
  const rows = JSON.parse(c.out) as { id: number; status: string; succeeded: number }[];
  assert.deepEqual(rows.map((r) => [r.id, r.status, r.succeeded]), [[2, 'succeeded', 2], [1, 'succeeded', 2]]);
});

test('sonic diff shows deltas between two runs', async () => {
  const c = io();
  assert.equal(await diffMain(['1', 'latest', '--format', 'csv', '--changed', '--metrics-only'], c), 0, c.err);
  assert.equal(c.out, 'stage,name,step,tags,run 1,run 2,delta,delta %\neval[ablation=full],ais,,ablation=full,0.5,0.6,0.09999999999999998,19.999999999999996\n');
  const bad = io();
  assert.equal(await diffMain(['1'], bad), 2);
  assert.match(bad.err, /expected 2 arguments, got 1/);
  const missing = io();
  assert.equal(await diffMain(['1', '99'], missing), 1);
  assert.match(missing.err, /no run with id 99/);
});

test('sonic query reads, and refuses writes', async () => {
  let c = io();
  assert.equal(await queryMain(['SELECT COUNT(*) AS n FROM metrics WHERE value > ?', '--param', '0.45', '--format', 'csv'], c), 0, c.err);
  assert.equal(c.out, 'n\n2\n');
  c = io();
  assert.equal(await queryMain(['SELECT id FROM runs WHERE id > 100', '--format', 'csv'], c), 0);
  assert.equal(c.out, 'id\n');
  c = io();
  assert.equal(await queryMain(['DELETE FROM metrics'], c), 1);
  assert.match(c.err, /only reads are allowed/);
});

test('sonic gc takes the workspace lock: it refuses while a runner holds it, and releases it when done', async () => {
  const held = await acquireWorkspaceLock(ws);
  try {
    const c = io();
    assert.equal(await gcMain([], c), 2);
    assert.match(c.err, /sonic gc: workspace .* is locked by pid \d+ .*a run is in progress/);
    assert.equal(c.out, '');
  } finally {
    held.release();
  }
  const c = io();
  assert.equal(await gcMain(['--dry-run'], c), 0, c.err);
  assert.match(c.out, /would remove 1 object\(s\)/, 'nothing was removed while locked');
  assert.ok(!existsSync(join(ws, 'lock')), 'gc released the lock');
});

test('sonic artifacts lists current artifacts with hash prefixes; gc --dry-run then gc', async () => {
  let c = io();
  assert.equal(await artifactsMain(['--stage', 'eval'], c), 0, c.err);
  const lines = c.out.trimEnd().split('\n');
  assert.equal(lines.length, 4);
  assert.match(lines[2]!, /^eval\[ablation=full\]\s+scores\s+file\s+[0-9a-f]{12}\s+10 B\s+\/.*objects\//);
  c = io();
  assert.equal(await gcMain(['--dry-run'], c), 0, c.err);
  assert.match(c.out, /would remove 1 object\(s\) \(6 B\)/);
  c = io();
  assert.equal(await gcMain([], c), 0, c.err);
  assert.match(c.out, /removed 1 object\(s\) \(6 B\)/);
  c = io();
  assert.equal(await gcMain([], c), 0);
  assert.match(c.out, /removed 0 object\(s\)/);
});
