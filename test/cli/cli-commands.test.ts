// The `sonic` CLI as a user calls it (a child process of the built CLI): help from the declarations, "did you
// mean", and the commands stages, logs, diff (params and metrics) and models.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/temp-dir.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const STAGES = fileURLToPath(new URL('../engine/runner/fixtures/trivial-stages.js', import.meta.url));

interface Done {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dir = '';

function sonic(...args: string[]): Promise<Done> {
  const child = spawn(process.execPath, [MAIN, ...args], {
    cwd: dir,
    env: { ...process.env, SONIC_STAGE_MODULES: STAGES, SONIC_WORKSPACE: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const PIPELINE = `version: 1
name: demo
vars: {scale: 1}
stages:
  first:
    uses: test/write-text
    with: {text: "2 3"}
    outputs: {text: a.txt}
  total:
    uses: test/sum-numbers
    matrix: {part: [a]}
    with: {scale: "\${{ vars.scale }}"}
    inputs: {numbers: "\${{ stages.first.outputs.text }}"}
    outputs: {sum: sum.txt}
  broken:
    uses: test/fail
    with: {message: "the deliberate failure"}
`;

before(async () => {
  dir = tempDir('sonic-cli-commands-');
  writeFileSync(join(dir, 'package.json'), '{}');
  writeFileSync(join(dir, 'p.yaml'), PIPELINE);
  const one = await sonic('run', 'p.yaml', 'total');
  assert.equal(one.code, 0, one.stderr);
  const two = await sonic('run', 'p.yaml', '--set', 'scale=2');
  assert.equal(two.code, 1, two.stderr); // `broken` fails
});

test('top-level help lists every declared command with its summary; unknown commands get a suggestion', async () => {
  const help = await sonic('--help');
  assert.equal(help.code, 0);
  for (const [name, summary] of [
    ['run', 'run a pipeline'],
    ['stages', "list a pipeline's stages"],
    ['logs', "print a stage's log"],
    ['models', 'every weight file of the model registry'],
    ['ui', 'a local, read-only web view'],
    ['plots', 'Vega-Lite plots'],
    ['diff', 'compare the params and metrics of two runs'],
  ]) {
    assert.match(help.stdout, new RegExp(`^  ${name} +${summary.replace(/[()]/g, '\\$&')}`, 'm'));
  }
  const typo = await sonic('stauts', 'p.yaml');
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /^sonic: unknown command "stauts" \(did you mean "status" or "stages"\?\)/);
});

test('run, status and dag share the declaration style: --help, option suggestions, argument counts', async () => {
  for (const cmd of ['run', 'status', 'dag']) {
    const h = await sonic(cmd, '--help');
    assert.equal(h.code, 0);
    assert.match(h.stdout, new RegExp(`^usage: sonic ${cmd} PIPELINE`));
  }
  const bad = await sonic('run', 'p.yaml', '--dry-rn');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^sonic run: unknown option --dry-rn \(did you mean "--dry-run"\?\)\n\nusage: sonic run/);
  const none = await sonic('dag');
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^sonic dag: expected 1 argument, got 0/);
  const target = await sonic('run', 'p.yaml', 'totl', '--dry-run');
  assert.equal(target.code, 2);
  assert.match(target.stderr, /unknown target "totl" \(did you mean "total"\? stages: first, total, broken\)/);
});

test('sonic stages lists kind, params, inputs and outputs, as text and as JSON', async () => {
  const text = await sonic('stages', 'p.yaml', '--set', 'scale=3');
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^total\[part=a\]  uses test\/sum-numbers v1  \(p\.yaml:9\)\n  params:  scale=3\n  inputs:  numbers <- first\.text\n  outputs: sum \(sum\.txt\)$/m);
  assert.match(text.stdout, /\n3 stages\n$/);
  const json = await sonic('stages', 'p.yaml', '--json');
  assert.equal(json.code, 0, json.stderr);
  const stages = JSON.parse(json.stdout) as { id: string; kind: string; uses: string; params: Record<string, unknown>; inputs: Record<string, unknown[]>; outputs: Record<string, unknown> }[];
  assert.deepEqual(stages.map((s) => s.id), ['first', 'total[part=a]', 'broken']);
  assert.deepEqual(stages[1], {
    id: 'total[part=a]',
    baseId: 'total',
    kind: 'uses',
    uses: 'test/sum-numbers',
    version: '1',
    params: { scale: 1 },
    inputs: { numbers: [{ stage: 'first', output: 'text' }] },
    outputs: { sum: { path: 'sum.txt' } },
    source: 'p.yaml:9',
  });
});

test('sonic logs prints the log of the latest attempt, of a given run, and explains a failure', async () => {
  const latest = await sonic('logs', 'total');
  assert.equal(latest.code, 0, latest.stderr);
  assert.match(latest.stderr, /^==> stage total\[part=a\], run 2, attempt 1, succeeded: /);
  assert.match(latest.stdout, /stage total\[part=a\] attempt 1 started/);
  const broken = await sonic('logs', 'broken', '--run', 'latest');
  assert.equal(broken.code, 0, broken.stderr);
  assert.match(broken.stdout, /the deliberate failure/);
  const first = await sonic('logs', 'first', '--run', '2');
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /^==> stage first, run 1, attempt 1, succeeded/, 'a cached stage shows the log of the run that made it');
  const typo = await sonic('logs', 'totl');
  assert.equal(typo.code, 1);
  assert.match(typo.stderr, /^sonic logs: no stage "totl" in any recorded run \(did you mean "total"\?\)/);
  const notInRun = await sonic('logs', 'broken', '--run', '1');
  assert.equal(notInRun.code, 1);
  assert.match(notInRun.stderr, /no stage "broken" in run 1/);
  const follow = await sonic('logs', 'total', '--follow');
  assert.equal(follow.code, 0, 'follow of a finished stage prints the log and stops');
  assert.equal(follow.stdout, latest.stdout);
});

test('sonic logs --follow prints a running stage\'s log as it grows and stops when the stage finishes', async () => {
  writeFileSync(join(dir, 'slow.yaml'), 'version: 1\nname: slow\nstages:\n  loop:\n    uses: test/busy-loop\n    with: {steps: 80, stepMs: 100}\n    outputs: {result: r.txt}\n');
  const ws = join(dir, 'slow-ws');
  const run = sonic('run', 'slow.yaml', '--workspace', ws);
  for (let probes = 1; ; probes++) {
    const probe = await sonic('logs', 'loop', '--workspace', ws);
    if (probe.code === 0 && probe.stdout.includes('busy loop started')) break;
    assert.ok(probes < 600, `the stage never started logging: ${probe.stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const follow = await sonic('logs', 'loop', '--follow', '--workspace', ws);
  assert.equal((await run).code, 0);
  assert.equal(follow.code, 0, follow.stderr);
  assert.match(follow.stderr, /^==> stage loop, run 1, attempt 1, running: /, 'followed while running');
  assert.match(follow.stdout, /busy loop started[\s\S]*stage loop succeeded\n$/, 'and kept reading until the runner\'s closing note');
});

test('sonic diff compares params (from every stage run) and metrics', async () => {
  const both = await sonic('diff', '1', '2');
  assert.equal(both.code, 0, both.stderr);
  assert.match(both.stdout, /^params: run 1 vs run 2\n/);
  assert.match(both.stdout, /^total\[part=a\]\s+scale\s+1\s+2\s+\*$/m);
  assert.match(both.stdout, /^broken\s+message\s+the deliberate failure\s+\*$/m, 'a stage only in run 2 (failed) still has its params');
  assert.match(both.stdout, /\nmetrics: run 1 vs run 2\n/);
  assert.match(both.stdout, /^total\[part=a\]\s+sum\s+part=a\s+5\s+10\s+5\s+100$/m);
  const params = await sonic('diff', '1', '2', '--params-only', '--changed', '--format', 'csv');
  assert.equal(params.code, 0, params.stderr);
  assert.equal(params.stdout, 'stage,param,run 1,run 2,changed\nbroken,message,,the deliberate failure,*\ntotal[part=a],scale,1,2,*\n');
  const ambiguous = await sonic('diff', '1', '2', '--format', 'json');
  assert.equal(ambiguous.code, 2);
  assert.match(ambiguous.stderr, /add --params-only or --metrics-only/);
});

test('sonic models: present and verified, unverified, wrong hash, missing with where and how', async () => {
  // the registry's relative paths resolve against the directory above its own (the repository root)
  mkdirSync(join(dir, 'experiments'));
  const models = join(dir, 'models');
  mkdirSync(join(models, 'a'), { recursive: true });
  writeFileSync(join(models, 'a', 'good.bin'), 'good');
  writeFileSync(join(models, 'a', 'bad.bin'), 'tampered');
  writeFileSync(join(models, 'a', 'free.bin'), 'no hash recorded');
  const sha = (s: string) => createHash("sha256").update(s).digest("hex");
  writeFileSync(
    join(dir, 'experiments', 'reg.yaml'),
    `version: 1
modelsDir: models
cacheDir: cache
models:
  toy-a:
    description: a test model
    dir: a
    files:
      - {name: good.bin, url: "https://example.org/good.bin", sha256: ${sha('good')}}
      - {name: bad.bin, url: "https://example.org/bad.bin", sha256: ${sha('bad')}}
      - {name: free.bin, url: "https://example.org/free.bin", sha256: null}
      - {name: made.onnx, make: "python export.py {dir}"}
`,
  );
  const r = await sonic('models', '--registry', 'experiments/reg.yaml');
  assert.equal(r.code, 1, 'a missing file and a bad hash make exit 1');
  assert.match(r.stdout, /^toy-a  a test model$/m);
  assert.match(r.stdout, /^  ok        good\.bin\n            found at:     .*good\.bin\n            sha256:       [0-9a-f]{64} \(verified\)$/m);
  assert.match(r.stdout, /^  BAD HASH  bad\.bin\n.*\n            sha256:       [0-9a-f]{64}, but the registry records [0-9a-f]{64}$/m);
  assert.match(r.stdout, /^  present   free\.bin\n.*\n            sha256:       none recorded in the registry \(not checked\)$/m);
  assert.match(r.stdout, new RegExp(`^  MISSING   made\\.onnx\\n            place it at:  ${join(models, 'a', 'made.onnx').replace(/[.]/g, '\\.')}\\n            make it with: python export\\.py ${join(models, 'a').replace(/[.]/g, '\\.')}$`, 'm'));
  assert.match(r.stdout, /4 files: 1 verified, 1 present without a recorded sha256, 1 with a wrong hash, 1 missing\n$/);
  const json = await sonic('models', 'toy-a', '--registry', 'experiments/reg.yaml', '--no-verify', '--json');
  const rows = JSON.parse(json.stdout) as { file: string; state: string }[];
  assert.deepEqual(rows.map((x) => [x.file, x.state]), [['good.bin', 'present'], ['bad.bin', 'present'], ['free.bin', 'present'], ['made.onnx', 'missing']]);
  const typo = await sonic('models', 'toy-b', '--registry', 'experiments/reg.yaml');
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /no model "toy-b" in .*reg\.yaml \(did you mean "toy-a"\?\)/);
  writeFileSync(join(dir, 'broken.yaml'), 'version: 1\nmodelsDir: models\n');
  const invalid = await sonic('models', '--registry', 'broken.yaml');
  assert.equal(invalid.code, 2);
  assert.match(invalid.stderr, /broken\.yaml:\d+: /);
  assert.doesNotMatch(invalid.stderr, /    at /);
});

