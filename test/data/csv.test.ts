import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv, CsvError } from '../../src/data/tabular/csv.js';

test('CSV parser handles quotes, doubled quotes, embedded newlines, CRLF and a BOM', () => {
  const text = '\ufeffa,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\nlines",\n\n3,,last';
  const rows = parseCsv(text);
  assert.deepEqual(rows, [
    { line: 1, fields: ['a', 'b', 'c'] },
    { line: 2, fields: ['1', 'x, y', 'say "hi"'] },
    { line: 3, fields: ['2', 'two\nlines', ''] },
    { line: 6, fields: ['3', '', 'last'] },
  ]);
});

test('CSV parser reports malformed quoting with the line', () => {
  assert.throws(() => parseCsv('a\n"open', 'f.csv'), (e: unknown) => e instanceof CsvError && e.message === 'f.csv:2: unterminated quoted field');
  assert.throws(() => parseCsv('a,b\nx,"q"z', 'f.csv'), /f\.csv:2: unexpected character 'z' after a closing quote/);
  assert.throws(() => parseCsv('a,b\nx,y"z"', 'f.csv'), /f\.csv:2: a quote inside an unquoted field/);
});
