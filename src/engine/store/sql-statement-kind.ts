// Which PRAGMA statements would act on the database, for the read-only query console. SQLite reports some
// of them as readers (they return a row), so the console cannot rely on the statement's `reader` flag
// alone. The statement is read as SQLite's tokenizer reads it: comments (`-- …`, `/* … */`) are skipped
// wherever they are, and names may be quoted ("x", `x`, [x], 'x'), so `/**/PRAGMA "wal_checkpoint"` is
// classified like `PRAGMA wal_checkpoint`.

/** PRAGMAs that act on the database although sqlite reports them as readers (they return a row). */
const ACTING_PRAGMAS = new Set(['wal_checkpoint', 'optimize', 'incremental_vacuum', 'shrink_memory']);
/** PRAGMAs whose `name(arg)` form reads; for the others `name(arg)` sets a value, like `name = arg`. */
const READING_PRAGMAS_WITH_ARGUMENT = new Set([
  'table_info',
  'table_xinfo',
  'table_list',
  'index_info',
  'index_xinfo',
  'index_list',
  'foreign_key_list',
  'foreign_key_check',
  'integrity_check',
  'quick_check',
]);

/** True for a PRAGMA that sets a value or acts (checkpoint, optimize, …); false for reads and non-PRAGMAs. */
export function isWritingPragma(sql: string): boolean {
  const tokens = leadingTokens(sql, 5);
  if (tokens[0]?.toLowerCase() !== 'pragma') return false;
  // PRAGMA [schema .] name [= value | (value)]
  const nameAt = tokens[2] === '.' ? 3 : 1;
  const name = tokens[nameAt]?.toLowerCase();
  if (name === undefined) return false;
  const after = tokens[nameAt + 1];
  if (ACTING_PRAGMAS.has(name) || after === '=') return true;
  return after === '(' && !READING_PRAGMAS_WITH_ARGUMENT.has(name);
}

/**
 * The first `count` tokens of `sql`: words and quoted names or strings (unquoted), and single punctuation
 * characters. Whitespace and comments are skipped; an unterminated comment or quote ends the text.
 */
export function leadingTokens(sql: string, count: number): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < sql.length && tokens.length < count) {
    const c = sql[i]!;
    if (/\s/.test(c)) i++;
    else if (sql.startsWith('--', i)) i = endOf(sql, '\n', i + 2);
    else if (sql.startsWith('/*', i)) i = endOf(sql, '*/', i + 2);
    else if (c === "'" || c === '"' || c === '`') {
      const [text, next] = quoted(sql, i, c);
      tokens.push(text);
      i = next;
    } else if (c === '[') {
      const close = endOf(sql, ']', i + 1);
      tokens.push(sql.slice(i + 1, close - 1));
      i = close;
    } else if (/[\p{L}\p{N}_$]/u.test(c)) {
      const m = /^[\p{L}\p{N}_$]+/u.exec(sql.slice(i, i + 256))!;
      tokens.push(m[0]);
      i += m[0].length;
    } else {
      tokens.push(c);
      i++;
    }
  }
  return tokens;
}

/** Index just past the next `terminator` at or after `from` (the text's end when there is none). */
function endOf(sql: string, terminator: string, from: number): number {
  const at = sql.indexOf(terminator, from);
  return at < 0 ? sql.length : at + terminator.length;
}

/** A quoted name or string starting at `start`, with doubled quotes unescaped, and the index after it. */
function quoted(sql: string, start: number, quote: string): [string, number] {
  let text = '';
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] !== quote) return [text, i + 1];
      text += quote;
      i += 2;
    } else text += sql[i++];
  }
  return [text, i];
}
