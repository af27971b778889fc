// Bad and oversized pipeline files through the real `sonic` CLI: exit 2, `file:line:col: message`, no stack
// trace, no raw YAML warning, and a 50 MB file refused before it is read (the child gets a 256 MB heap).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/temp-dir.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const BAD = fileURLToPath(new URL('../../../test/fixtures/bad-pipelines/', import.meta.url));

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `sonic ARGS` in `cwd` with a small heap: a loader that parsed a huge file would die instead of answering. */
function sonic(cwd: string, args: string[], env: Record<string, string> = {}): Result {
  const r = spawnSync(process.execPath, ['--max-old-space-size=256', MAIN, ...args], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000, // a deadline against a hang, not a speed check
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function project(files: Record<string, string | Buffer>): string {
  const dir = tempDir('sonic-limits-');
  writeFileSync(join(dir, 'package.json'), '{}');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** Exit 2 and every stderr line `file:line:col: …` (or `file: …` for a whole-file problem), no stack, no YAMLWarning. */
function assertConfigError(r: Result, expected: RegExp): void {
  assert.equal(r.status, 2, `exit status ${r.status}; stderr:\n${r.stderr}`);
  assert.match(r.stderr, expected);
  assert.doesNotMatch(r.stderr, /\n\s+at |Maximum call stack|YAMLWarning|parseAllDocuments|\uFFFD/, r.stderr);
  for (const line of r.stderr.trimEnd().split('\n')) assert.match(line, /^[^:\s]+\.yaml(:\d+:\d+)?: \S/, line);
}

const STAGES = 'stages:\n  a: {run: [node, -e, "1"]}\n';

test('every YAML bad-pipeline fixture fails through the CLI with exactly its expected diagnostics', () => {
  const names = readdirSync(BAD).filter((f) => /^(yaml-|matrix-too-large)/.test(f) && f.endsWith('.yaml'));
  assert.ok(names.length >= 10, names.join(', '));
  for (const name of names) {
    const r = sonic(BAD, ['run', name, '--dry-run']);
    const expected = readFileSync(join(BAD, name.replace(/\.yaml$/, '.expected.txt')), 'utf8').trimEnd();
    assertConfigError(r, /./);
    assert.equal(r.stderr.trimEnd(), expected, name);
  }
});

test('a 50 MB pipeline file (one vars list of millions of numbers) is refused by size before it is read', () => {
  const numbers = '1234567, '.repeat(5_600_000);
  const dir = project({
    'big.yaml': `version: 1\nvars:\n  big: [${numbers}0]\n${STAGES}`,
    'top.yaml': `version: 1\ninclude: [big.yaml]\n${STAGES.replace('a:', 'b:')}`,
  });
  let r = sonic(dir, ['run', 'big.yaml', '--dry-run']);
  assertConfigError(r, /^big\.yaml: the file is 48\.1 MiB; a YAML file may have at most 2 MiB \(SONIC_MAX_YAML_BYTES raises the limit\)\n$/);
  r = sonic(dir, ['run', 'top.yaml', '--dry-run']);
  assertConfigError(r, /^top\.yaml:2:11: big\.yaml: the file is 48\.1 MiB; a YAML file may have at most 2 MiB/);
});

test('20,000-deep nesting (flow and block) is refused at its position, without a stack overflow', () => {
  const flow = `version: 1\nvars:\n  deep: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n${STAGES}`;
  const block = `version: 1\nvars:\n  deep:\n    ${'- '.repeat(20_000)}x\n${STAGES}`; // compact nested block lists
  const dir = project({ 'flow.yaml': flow, 'block.yaml': block });
  assertConfigError(sonic(dir, ['run', 'flow.yaml', '--dry-run']), /^flow\.yaml:3:71: lists and mappings nested deeper than 64 levels \(SONIC_MAX_YAML_DEPTH raises the limit\)\n$/);
  assertConfigError(sonic(dir, ['run', 'block.yaml', '--dry-run']), /^block\.yaml:4:129: lists and mappings nested deeper than 64 levels/);
});

test('a list longer than the limit is refused at its start; SONIC_MAX_YAML_LIST_ITEMS raises the limit', () => {
  const list = Array.from({ length: 10_001 }, (_, i) => i).join(', ');
  const dir = project({ 'p.yaml': `version: 1\nvars:\n  seeds: [${list}]\n${STAGES}` });
  assertConfigError(sonic(dir, ['run', 'p.yaml', '--dry-run']), /^p\.yaml:3:10: a list of 10001 items; a list may have at most 10000 \(SONIC_MAX_YAML_LIST_ITEMS raises the limit\)\n$/);
  const raised = sonic(dir, ['run', 'p.yaml', '--dry-run'], { SONIC_MAX_YAML_LIST_ITEMS: '20000' });
  assert.equal(raised.status, 0, raised.stderr);
});

test('the matrix cap applies before expansion and SONIC_MAX_MATRIX_COMBINATIONS raises it; a bad setting is an error', () => {
  const dir = project({ 'p.yaml': 'version: 1\nstages:\n  sweep:\n    run: [node, -e, "1"]\n    matrix: {a: [1, 2, 3], b: [1, 2, 3, 4]}\n' });
  assertConfigError(
    sonic(dir, ['run', 'p.yaml', '--dry-run'], { SONIC_MAX_MATRIX_COMBINATIONS: '10' }),
    /^p\.yaml:5:5: matrix of stage "sweep" has 12 combinations \(a \(3\) × b \(4\)\); at most 10 are allowed \(SONIC_MAX_MATRIX_COMBINATIONS raises the limit\)\n$/,
  );
  const raised = sonic(dir, ['run', 'p.yaml', '--dry-run'], { SONIC_MAX_MATRIX_COMBINATIONS: '12' });
  assert.equal(raised.status, 0, raised.stderr);
  assert.match(raised.stdout, /12 of 12 stages would run/);
  assertConfigError(sonic(dir, ['run', 'p.yaml', '--dry-run'], { SONIC_MAX_MATRIX_COMBINATIONS: 'lots' }), /^p\.yaml: SONIC_MAX_MATRIX_COMBINATIONS=lots: expected a whole number >= 1\n$/);
});

test('--set with an unknown YAML tag is an error naming the tag, not a raw YAMLWarning; *.wav stays text', () => {
  const dir = project({ 'p.yaml': `version: 1\nvars: {n: 1}\nstages:\n  a: {run: [node, -e, "1", "\${{ vars.n }}"]}\n` });
  assertConfigError(sonic(dir, ['run', 'p.yaml', '--dry-run', '--set', 'n=!!js/function "x"']), /^p\.yaml: --set n=!!js\/function "x": unknown YAML tag !!js\/function: /);
  const glob = sonic(dir, ['run', 'p.yaml', '--dry-run', '--set', 'n=*.wav']);
  assert.equal(glob.status, 0, glob.stderr);
  assert.equal(glob.stderr, '');
});

test('invalid UTF-8 in an included file is reported in that file at the bad byte', () => {
  const dir = project({
    'top.yaml': `version: 1\ninclude: [part.yaml]\n${STAGES}`,
    'part.yaml': Buffer.concat([Buffer.from('version: 1\nvars:\n  note: "na\u00efve caf'), Buffer.from([0xc3, 0x28]), Buffer.from('"\nstages:\n  b: {run: [node, -e, "1"]}\n')]),
  });
  assertConfigError(sonic(dir, ['run', 'top.yaml', '--dry-run']), /^part\.yaml:3:19: invalid UTF-8 \(byte 0xC3 at byte offset 36\); save the file as UTF-8\n$/);
});
