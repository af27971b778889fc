import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareResults, parseIntervalCell } from '../../bench/main-job/table-intervals.js';

test('interval cells: one seed, several seeds, and text that is not one', () => {
  assert.deepEqual(parseIntervalCell('0.746 [0.69, 0.80]'), { value: 0.746, low: 0.69, high: 0.8 });
  assert.deepEqual(parseIntervalCell('0.74 ± 0.02 [0.69, 0.81]'), { value: 0.74, low: 0.69, high: 0.81 });
  assert.equal(parseIntervalCell('0.739'), null);
  assert.equal(parseIntervalCell('—'), null);
});

function results(table1: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tables-'));
  writeFileSync(join(dir, 'table1.csv'), table1);
  return dir;
}

test('each "ours" cell of the new run is checked against the old interval; reported rows are skipped', () => {
  const header = 'method,source,landscape AIS,landscape FID (x)\n';
  const before = results(header + 'full,ours,"0.746 [0.69, 0.80]","1.4 [1.2, 1.9]"\nfull,reported,0.739,118.6\nnone,ours,"0.5 [0.4, 0.6]",\n');
  const after = results(header + 'full,ours,"0.80 [0.75, 0.85]","2.0 [1.5, 2.5]"\nfull,reported,0.1,1\n');
  const cells = compareResults(before, after);
  assert.deepEqual(
    cells.map((c) => [c.row, c.column, c.new, c.inside]),
    [
      ['full (ours)', 'landscape AIS', 0.8, true],
      ['full (ours)', 'landscape FID (x)', 2, false],
      ['none (ours)', 'landscape AIS', null, false],
    ],
  );
});
