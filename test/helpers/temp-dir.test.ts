import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeTempDir, tempDir } from './temp-dir.js';

const HELPER = new URL('./temp-dir.js', import.meta.url).href;

test('temp dirs made in a before hook and in a failing test are gone once the test file ends', () => {
  const scratch = tempDir('temp-dir-test-');
  const tmp = join(scratch, 'tmp');
  const made = join(scratch, 'made.txt');
  const file = join(scratch, 'child.test.mjs');
  writeFileSync(
    file,
    `import { test, before } from 'node:test';
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { tempDir } from ${JSON.stringify(HELPER)};
mkdirSync(process.env.TMPDIR, { recursive: true });
let shared;
before(() => { shared = tempDir('from-before-'); appendFileSync(${JSON.stringify(made)}, shared + '\\n'); });
test('the before hook dir is still there', () => { if (!existsSync(shared)) throw new Error('removed too early'); });
test('fails after making a dir', () => { appendFileSync(${JSON.stringify(made)}, tempDir('from-test-') + '\\n'); throw new Error('boom'); });
`,
  );
  // NODE_TEST_CONTEXT would make the child report to this runner instead of running its own tests.
  const { NODE_TEST_CONTEXT: _ctx, ...env } = process.env;
  const r = spawnSync(process.execPath, [file], { env: { ...env, TMPDIR: tmp }, encoding: 'utf8' });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /ok 1 - the before hook dir is still there/);
  const dirs = readFileSync(made, 'utf8').trim().split('\n');
  assert.equal(dirs.length, 2);
  for (const d of dirs) assert.ok(d.startsWith(tmp), d);
  assert.deepEqual(readdirSync(tmp), []);
});

test('removeTempDir removes a directory before the file ends', () => {
  const dir = tempDir('temp-dir-early-');
  writeFileSync(join(dir, 'x'), 'x');
  removeTempDir(dir);
  assert.equal(existsSync(dir), false);
});
