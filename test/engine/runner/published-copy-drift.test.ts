// Regression: a published copy edited by hand is reported by `sonic status` (not "up to date"), and the
// run that restores it says so. Real `sonic` processes on a YAML pipeline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../../src/cli/main.js', import.meta.url));
const sonic = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { cwd, encoding: 'utf8' });

test('sonic status reports a hand-edited published copy, and the next run says it restores it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sonic-drift-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{}');
    writeFileSync(
      join(dir, 'pipeline.yaml'),
      `version: 1
stages:
  table:
    run: [${JSON.stringify(process.execPath)}, "-e", "require('fs').writeFileSync(process.argv[1], 'the table')", "\${{ outputs.t }}"]
    outputs: {t: {path: t.md, publish: results/table.md}}
`,
    );
    assert.equal(sonic(dir, 'run', 'pipeline.yaml', '--no-progress').status, 0);
    assert.match(sonic(dir, 'status', 'pipeline.yaml').stdout, /table .* up to date\n/);

    writeFileSync(join(dir, 'results', 'table.md'), 'edited by hand');
    const status = sonic(dir, 'status', 'pipeline.yaml');
    assert.equal(status.status, 0, status.stderr);
    assert.match(status.stdout, /up to date; published copy results\/table\.md \(changed since it was published\): the next run restores it/);

    const run = sonic(dir, 'run', 'pipeline.yaml', '--no-progress');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /restored results\/table\.md from the recorded output t of stage table \(the published copy had been changed\)/);
    assert.equal(readFileSync(join(dir, 'results', 'table.md'), 'utf8'), 'the table');
    assert.doesNotMatch(sonic(dir, 'status', 'pipeline.yaml').stdout, /published copy/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
