// The read-only query console classifies PRAGMAs as SQLite reads them: comments anywhere, quoted names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ReadOnlyQueryError } from '../../../src/engine/store/errors.js';
import { openRunStore } from '../../../src/engine/store/run-store.js';
import { isWritingPragma, leadingTokens } from '../../../src/engine/store/sql-statement-kind.js';
import { newRun, tempDir } from './fixtures.js';

const MAIN = fileURLToPath(new URL('../../../src/cli/main.js', import.meta.url));

/** PRAGMAs that act on the database (sqlite calls several of them readers), written in every comment and quoting form. */
const ACTING = [
  '/**/PRAGMA wal_checkpoint',
  '/* a */ /* b */ PRAGMA main./*x*/wal_checkpoint(TRUNCATE)',
  '-- leading comment\nPRAGMA optimize',
  '--\n--\nPRAGMA optimize',
  'PRAGMA/**/wal_checkpoint',
  'PRAGMA "wal_checkpoint"',
  "PRAGMA 'wal_checkpoint'",
  'PRAGMA [optimize]',
  'PRAGMA `shrink_memory`',
  'pRaGmA main . "incremental_vacuum"',
  '/*x*/PRAGMA user_version/**/=/**/5',
  '/* PRAGMA table_info(runs) */ PRAGMA journal_mode(DELETE)',
];

const READING = [
  'PRAGMA user_version',
  '/* c */ PRAGMA table_info(runs)',
  'PRAGMA main.table_info("runs") -- trailing comment',
  "SELECT '/*' AS a, '--' AS b, 'PRAGMA wal_checkpoint' AS c",
  '/* PRAGMA wal_checkpoint */ SELECT 1 AS one',
  '-- PRAGMA optimize\nSELECT 1 AS one',
];

test('leadingTokens skips comments and unquotes names, but not inside string literals', () => {
  assert.deepEqual(leadingTokens('/**/PRAGMA main . "wal_checkpoint" (1)', 10), ['PRAGMA', 'main', '.', 'wal_checkpoint', '(', '1', ')']);
  assert.deepEqual(leadingTokens("-- x\nSELECT 'a /* b' , [c d], `e``f`", 10), ['SELECT', 'a /* b', ',', 'c d', ',', 'e`f']);
  assert.deepEqual(leadingTokens('/* unterminated PRAGMA wal_checkpoint', 10), []);
});

test('isWritingPragma sees acting and setting PRAGMAs through comments and quotes', () => {
  for (const sql of ACTING) assert.equal(isWritingPragma(sql), true, sql);
  for (const sql of READING) assert.equal(isWritingPragma(sql), false, sql);
});

test('the query console rejects commented and quoted acting PRAGMAs and still runs commented reads', () => {
  const { dir, cleanup } = tempDir();
  const store = openRunStore(dir);
  try {
    newRun(store);
    // (a read-only connection also refuses some of them, with another message: the check must come first)
    for (const sql of ACTING) assert.throws(() => store.query(sql), (e: unknown) => e instanceof ReadOnlyQueryError && /only reads are allowed/.test(e.message), sql);
    for (const sql of READING) assert.ok(store.query(sql).length > 0, sql);
  } finally {
    store.close();
    cleanup();
  }
});

test('sonic query (a real process) refuses /**/PRAGMA wal_checkpoint like the plain statement', () => {
  const { dir, cleanup } = tempDir();
  try {
    const store = openRunStore(dir);
    newRun(store);
    store.close();
    const query = (sql: string) => spawnSync(process.execPath, [MAIN, 'query', '--workspace', dir, '--', sql], { encoding: 'utf8' });
    for (const sql of ['PRAGMA wal_checkpoint', '/**/PRAGMA wal_checkpoint', '-- x\nPRAGMA "optimize"']) {
      const r = query(sql);
      assert.equal(r.status, 1, `${sql}: ${r.stderr}`);
      assert.match(r.stderr, /^sonic query: query: only reads are allowed/, sql);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
    const read = query('/* how many */ SELECT COUNT(*) AS n FROM runs');
    assert.equal(read.status, 0, read.stderr);
    assert.match(read.stdout, /\b1\b/);
  } finally {
    cleanup();
  }
});
