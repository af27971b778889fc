// The whole SonicToy DAG at the quick profile through the real CLI, in a temporary workspace: every
// table cell of ours must be a number this run logged (cross-checked with `sonic metrics`), the
// README and every picture it links must exist, and a second run must be fully cached. A second workspace
// then runs the same DAG from scratch and must log every metric (timings aside) bit for bit the same.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../../src/data/tabular/csv.js';
import { readPng } from '../../src/data/media/png.js';
import { chromiumSkipReason } from '../helpers/browser.js';
import { checkStaticReport } from '../helpers/static-report-check.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');
const RESULTS = '../out/sonictoy'; // relative to the pipeline file, inside the temp workspace
let ws = '';

function sonic(args: string[], workspace = '.sonic'): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ws, encoding: 'utf8', env: { ...process.env, SONIC_WORKSPACE: join(ws, workspace) }, maxBuffer: 64 << 20 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A table cell of ours: `0.528 [0.41, 0.64]` → its three numbers. */
function parseCell(cell: string): { value: number; low: number; high: number } | null {
  const m = /^(-?\d+(?:\.\d+)?) \[(-?\d+(?:\.\d+)?), (-?\d+(?:\.\d+)?)\]$/.exec(cell);
  return m ? { value: Number(m[1]), low: Number(m[2]), high: Number(m[3]) } : null;
}

/** A cell shows the logged value rounded to 3 decimals (FID: 1), its interval to 2 (FID: 1). */
function assertShows(shown: number, logged: number, decimals: number, what: string): void {
  assert.ok(Math.abs(shown - logged) <= 0.5 * 10 ** -decimals + 1e-12, `${what}: table shows ${shown}, logged ${logged}`);
}

function readCsv(text: string): Array<Record<string, string>> {
  const [head, ...rows] = parseCsv(text, 'csv');
  return rows.map((r) => Object.fromEntries(head!.fields.map((h, i) => [h, r.fields[i] ?? ''])));
}

before(() => {
  ws = mkdtempSync(join(tmpdir(), 'sonictoy-quick-'));
  cpSync(join(REPO, 'pipelines'), join(ws, 'pipelines'), { recursive: true });
  cpSync(join(REPO, 'experiments', 'ablations'), join(ws, 'experiments', 'ablations'), { recursive: true });
  mkdirSync(join(ws, 'results'));
  cpSync(join(REPO, 'results', 'paper-reported.json'), join(ws, 'results', 'paper-reported.json'));
  mkdirSync(join(ws, '.sonic'));
  mkdirSync(join(ws, '.sonic-again'));
});

after(() => {
  if (ws) rmSync(ws, { recursive: true, force: true });
});

test('sonictoy quick profile: the whole DAG runs, tables match the logged metrics, pictures exist, rerun is cached', { timeout: 600_000 }, () => {
  const started = Date.now();
  const run = sonic(['run', 'pipelines/sonictoy.yaml', '--set', 'profile=quick', '--set', `results_dir=${RESULTS}`, '--no-progress']);
  assert.equal(run.status, 0, `sonic run failed:\n${run.stdout.slice(-4000)}\n${run.stderr.slice(-4000)}`);
  const seconds = (Date.now() - started) / 1000;
  const out = join(ws, 'out', 'sonictoy');
  for (const t of ['table1', 'table2', 'table3', 'table4']) {
    const table = readCsv(readFileSync(join(out, `${t}.csv`), 'utf8'));
    const ours = table.filter((r) => r.source === 'ours');
    assert.ok(ours.length > 0, `${t}: no rows of ours`);
    const m = sonic(['metrics', '--stage', 'evaluate*', '--rows', 'tag:method', '--cols', 'name', '--tag', `table=${t}`, '--format', 'csv']);
    assert.equal(m.status, 0, m.stderr);
    const logged = new Map(readCsv(m.stdout).map((r) => [r.method!, r]));
    for (const row of ours) {
      const metrics = logged.get(row.method!);
      assert.ok(metrics, `${t}: row '${row.method}' has no metrics logged for table=${t}`);
      const columns = Object.keys(metrics).filter((c) => c !== 'method' && metrics[c] !== '');
      assert.ok(columns.length >= 4, `${t}/${row.method}: expected at least one domain's four metrics, got ${columns.join(', ')}`);
      for (const c of Object.keys(row).filter((k) => k !== 'method' && k !== 'source')) {
        const cell = row[c]!;
        const value: string = metrics[c] ?? '';
        assert.equal(cell === '', value === '', `${t}/${row.method}/${c}: table cell '${cell}' vs logged '${value}'`);
        if (cell === '') continue;
        const shown = parseCell(cell);
        assert.ok(shown, `${t}/${row.method}/${c}: '${cell}' is not "value [low, high]"`);
        const fid = c.includes('FID');
        assertShows(shown.value, Number(value), fid ? 1 : 3, `${t}/${row.method}/${c}`);
        assertShows(shown.low, Number(metrics[`${c} ci_low`]), fid ? 1 : 2, `${t}/${row.method}/${c} ci_low`);
        assertShows(shown.high, Number(metrics[`${c} ci_high`]), fid ? 1 : 2, `${t}/${row.method}/${c} ci_high`);
        assert.ok(Number(metrics[`${c} ci_low`]) <= Number(value) + 1e-12 || fid, `${t}/${row.method}/${c}: interval above its value`);
      }
    }
    // The full model has every metric in every domain of the table.
    const full = ours.find((r) => r.method === 'SonicDiffusion');
    assert.ok(full, `${t}: no SonicDiffusion row`);
    for (const [c, v] of Object.entries(full)) if (c !== 'method' && c !== 'source') assert.ok(parseCell(v) !== null, `${t}: SonicDiffusion/${c} is '${v}'`);
    assert.ok(table.some((r) => r.source === 'reported'), `${t}: the paper's reported numbers are missing`);
  }
  // Table 1's text-prompted reference row: every domain's metrics, listed after the audio rows, explained in the README.
  const table1 = readCsv(readFileSync(join(out, 'table1.csv'), 'utf8')).filter((r) => r.source === 'ours');
  const textRow = table1.findIndex((r) => r.method === 'text prompt (class label)');
  assert.ok(textRow > 0, `table1: the text-prompted row is missing or first (${table1.map((r) => r.method).join(', ')})`);
  assert.equal(textRow, table1.length - 1, 'table1: the text-prompted row comes after the audio rows');
  for (const [c, v] of Object.entries(table1[textRow]!)) if (c !== 'method' && c !== 'source') assert.ok(parseCell(v) !== null, `table1: text prompt/${c} is '${v}'`);
  const readme = readFileSync(join(out, 'README.md'), 'utf8');
  assert.match(readme, /These numbers are a plumbing check, not findings/);
  assert.match(readme, /## Ablations against the paper's ordering\n\n\d+ of \d+ ablation AIC differences are findings \(their 95 % paired bootstrap interval/);
  assert.match(readme, /The "text prompt \(class label\)" row \(Table 1\) is the same frozen diffusion backbone prompted with each test clip's class label/);
  assert.match(readme, /\| text prompt \(class label\) \| ours \|/);
  const pictures = [...readme.matchAll(/\]\((pictures\/[^)]+\.png)\)/g)].map((x) => x[1]!);
  const unique = [...new Set(pictures)];
  for (const kind of ['generation-', 'editing-', 'mixing-', 'volume-', 'audio-text-']) assert.ok(unique.some((p) => p.includes(kind)), `README links no ${kind}* picture`);
  for (const p of unique) {
    assert.ok(existsSync(join(out, p)), `README links ${p}, which does not exist`);
    const img = readPng(join(out, p));
    assert.ok(img.width > 0 && img.height > 0);
  }
  // index.html: the tables, every picture, the training curves and the timeline, all relative files
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  for (const t of ['Table 1:', 'Table 2:', 'Table 3:', 'Table 4:']) assert.ok(html.includes(`<h3>${t}`), `index.html has no ${t}`);
  assert.match(html, /<span class="tag">paper<\/span>/);
  for (const p of unique) assert.ok(html.includes(`<img src="${p}"`), `index.html does not show ${p}`);
  for (const f of ['plots/curve-stage1-loss.svg', 'plots/curve-stage2-loss.svg', 'plots/curve-train-loss.svg', 'plots/timeline.svg', 'plots/aic-table1.svg']) {
    assert.ok(html.includes(`<img src="${f}"`), `index.html does not show ${f}`);
    assert.match(readFileSync(join(out, f), 'utf8'), /^<svg/);
  }
  assert.match(html, /<dt>Backend<\/dt><dd>(?!not logged)[a-z]+/, "index.html names the tfjs backend the stages logged");
  assert.doesNotMatch(html, /:\/\//, 'index.html refers to something over the network');
  for (const src of html.matchAll(/(?:src|href)="([^"#]+)"/g)) assert.ok(existsSync(join(out, decodeURIComponent(src[1]!))), `index.html links ${src[1]}, which does not exist`);
  const again = sonic(['run', 'pipelines/sonictoy.yaml', '--set', 'profile=quick', '--set', `results_dir=${RESULTS}`, '--no-progress']);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout + again.stderr, / 0 ran, \d+ cached/, `second run was not fully cached:\n${again.stdout.slice(-2000)}`);
  console.log(`sonictoy quick: first run ${seconds.toFixed(0)} s`);
});

test('the quick run\'s HTML report opens in Chromium: no console errors or network, tables, pictures, navigation', { skip: chromiumSkipReason(), timeout: 120_000 }, async () => {
  const index = join(ws, 'out', 'sonictoy', 'index.html');
  assert.ok(existsSync(index), `the report stage wrote no ${index} (the first test's run makes it)`);
  await checkStaticReport(index, 'report-sonictoy-quick');
});

test('sonictoy quick profile is deterministic: a second workspace from scratch logs every metric identically', { timeout: 600_000 }, () => {
  const sql =
    "SELECT s.stage_id, m.name, coalesce(m.step, ''), m.tags_json, printf('%.12g', m.value) FROM metrics m JOIN stage_runs s ON s.id = m.stage_run_id " +
    "WHERE s.run_id = 1 AND lower(m.name) NOT LIKE '%seconds%' ORDER BY 1, 2, 3, 4";
  const first = sonic(['query', sql, '--format', 'csv']);
  assert.equal(first.status, 0, first.stderr);
  const run = sonic(['run', 'pipelines/sonictoy.yaml', '--set', 'profile=quick', '--set', 'results_dir=../out/sonictoy-again', '--no-progress'], '.sonic-again');
  assert.equal(run.status, 0, `second workspace run failed:\n${run.stdout.slice(-4000)}\n${run.stderr.slice(-4000)}`);
  const second = sonic(['query', sql, '--format', 'csv'], '.sonic-again');
  assert.equal(second.status, 0, second.stderr);
  const rows = first.stdout.trim().split('\n');
  assert.ok(rows.length > 300, `expected the quick run's few hundred metrics, got ${rows.length - 1}`);
  const again = second.stdout.trim().split('\n');
  const differ = rows.filter((r, i) => r !== again[i]);
  assert.deepEqual(differ.slice(0, 5), [], `${differ.length} of ${rows.length - 1} metrics differ between two identical runs (first shown)`);
  assert.equal(again.length, rows.length);
});

test('adding an ablation file runs only its stages plus the tables and the report, and adds its row', { timeout: 600_000 }, () => {
  const files = ['full', 'no-mse', 'single-token'].map((f) => `../experiments/ablations/${f}.yaml`);
  const args = (list: string[]) => ['run', 'pipelines/sonictoy.yaml', '--set', 'profile=quick', '--set', `results_dir=${RESULTS}`, '--set', `ablations=[${list.join(',')}]`, '--no-progress'];
  // The quick profile's own file list, written out: nothing to run.
  const same = sonic(args(files));
  assert.equal(same.status, 0, same.stderr);
  assert.match(same.stdout + same.stderr, / 0 ran, \d+ cached/);
  writeFileSync(join(ws, 'experiments', 'ablations', 'adapter-lr-1e-3.yaml'), 'name: adapter_lr_1e-3\nlabel: adapter lr 1e-3\ntables: [table3]\nstage2: {adapterLr: 1.0e-3}\n');
  const run = sonic(args([...files, '../experiments/ablations/adapter-lr-1e-3.yaml']));
  assert.equal(run.status, 0, `${run.stdout.slice(-4000)}\n${run.stderr.slice(-4000)}`);
  const ran = [...(run.stdout + run.stderr).matchAll(/✓ (\S+) succeeded/g)].map((m) => m[1]!).sort();
  const mine = ['train_projector', 'train_adapter', 'generate', 'evaluate'].flatMap((s) => ['landscape', 'hits'].map((d) => `${s}[data=${d},ablation=adapter_lr_1e-3,seed=0]`));
  assert.deepEqual(ran, [...mine, 'tables', 'report'].sort());
  const table3 = readCsv(readFileSync(join(ws, 'out', 'sonictoy', 'table3.csv'), 'utf8'));
  const row = table3.find((r) => r.method === 'adapter lr 1e-3' && r.source === 'ours');
  assert.ok(row, `table3 has no row for the new ablation: ${table3.map((r) => r.method).join(', ')}`);
  assert.ok(parseCell(row['hits AIC']!) && parseCell(row['landscape AIC']!), JSON.stringify(row));
  const table1 = readCsv(readFileSync(join(ws, 'out', 'sonictoy', 'table1.csv'), 'utf8'));
  assert.ok(!table1.some((r) => r.method === 'adapter lr 1e-3'), 'the new ablation lists only table3');
  const readme = readFileSync(join(ws, 'out', 'sonictoy', 'README.md'), 'utf8');
  assert.match(readme, /\| adapter lr 1e-3 \| ours \| \d\.\d{3} \[/);
});

/** A cell of a row trained with several seeds: `0.528 ± 0.031 [0.41, 0.64]` → its four numbers. */
function parseSeedCell(cell: string): { mean: number; spread: number; low: number; high: number } | null {
  const n = '(-?\\d+(?:\\.\\d+)?)';
  const m = new RegExp(`^${n} ± ${n} \\[${n}, ${n}\\]$`).exec(cell);
  return m ? { mean: Number(m[1]), spread: Number(m[2]), low: Number(m[3]), high: Number(m[4]) } : null;
}

test('profile quick-seeds trains a second seed: only seed-1 stages run, and the tables show mean ± spread over 2 seeds', { timeout: 600_000 }, () => {
  const dir = '../out/sonictoy-seeds';
  const stages = sonic(['stages', 'pipelines/sonictoy.yaml', '--set', 'profile=quick-seeds', '--json']);
  assert.equal(stages.status, 0, stages.stderr);
  const seed1 = (JSON.parse(stages.stdout) as Array<{ id: string }>).map((s) => s.id).filter((id) => id.includes('seed=1'));
  const trained = ['train_projector', 'train_adapter', 'generate', 'evaluate', 'edit', 'evaluate_edit'];
  for (const s of trained) assert.ok(seed1.some((id) => id.startsWith(`${s}[`)), `no seed-1 instance of ${s}: ${seed1.join(', ')}`);
  // Seed 0 is the quick profile's single seed, which the first test ran: its stages are all cached.
  const run = sonic(['run', 'pipelines/sonictoy.yaml', '--set', 'profile=quick-seeds', '--set', `results_dir=${dir}`, '--no-progress']);
  assert.equal(run.status, 0, `${run.stdout.slice(-4000)}\n${run.stderr.slice(-4000)}`);
  const ran = [...(run.stdout + run.stderr).matchAll(/✓ (\S+) succeeded/g)].map((m) => m[1]!).sort();
  assert.deepEqual(ran, [...seed1, 'tables', 'report'].sort());
  const out = join(ws, 'out', 'sonictoy-seeds');
  // Each seed's value as logged, to check the cells' mean and standard deviation.
  const m = sonic(['metrics', '--stage', 'evaluate*', '--tag', 'table=table3', '--rows', 'tag:method,tag:seed', '--cols', 'name', '--format', 'csv']);
  assert.equal(m.status, 0, m.stderr);
  const perSeed = readCsv(m.stdout);
  const table3 = readCsv(readFileSync(join(out, 'table3.csv'), 'utf8')).filter((r) => r.source === 'ours');
  assert.deepEqual(table3.map((r) => r.method), ['SonicDiffusion', 'w/o MSE loss']);
  for (const row of table3) {
    for (const c of Object.keys(row).filter((k) => k !== 'method' && k !== 'source')) {
      const cell = parseSeedCell(row[c]!);
      assert.ok(cell, `table3/${row.method}/${c}: '${row[c]}' is not "mean ± spread [low, high]"`);
      const values = perSeed.filter((r) => r.method === row.method).map((r) => Number(r[c]));
      assert.equal(values.length, 2, `table3/${row.method}/${c}: expected one logged value per seed`);
      const mean = (values[0]! + values[1]!) / 2;
      const sd = Math.abs(values[0]! - values[1]!) / Math.SQRT2;
      const decimals = c.includes('FID') ? 1 : 3;
      assertShows(cell.mean, mean, decimals, `table3/${row.method}/${c} mean`);
      assertShows(cell.spread, sd, decimals, `table3/${row.method}/${c} spread`);
    }
  }
  // Table 1's text-prompted row is not trained: one run, no spread.
  const textRow = readCsv(readFileSync(join(out, 'table1.csv'), 'utf8')).find((r) => r.method === 'text prompt (class label)')!;
  assert.ok(parseCell(textRow['hits AIC']!), `table1 text prompt: '${textRow['hits AIC']}'`);
  const md = readFileSync(join(out, 'table3.md'), 'utf8');
  assert.match(md, /Rows trained with several seeds \(2\) show mean ± standard deviation across seeds/);
  const readme = readFileSync(join(out, 'README.md'), 'utf8');
  assert.match(readme, /hits \/ SonicDiffusion \(\d+ images × 2 seeds\)/);
  assert.match(readme, /AIC \d\.\d{3} \[[^\]]+\] vs chance .*mean of 2 seeds ± \d\.\d{3}\)/);
  // One picture per domain and kind, although two seeds' generations and edits reach the report.
  const pictures = [...readme.matchAll(/^- \[(pictures\/[^\]]+)\]/gm)].map((x) => x[1]!);
  assert.deepEqual(pictures, [...new Set(pictures)], 'the README lists a picture twice');
  assert.ok(pictures.some((p) => p.startsWith('pictures/generation-')) && pictures.some((p) => p.startsWith('pictures/editing-')), pictures.join(', '));
});
