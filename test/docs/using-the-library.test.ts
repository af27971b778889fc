// Runs the example of docs/using-the-library.md as a user would (an ES module importing 'sonicdiffusion' by
// name, from the repository root) and compares what it prints with the output the page shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const page = readFileSync(`${ROOT}docs/using-the-library.md`, 'utf8');

function block(after: string, lang: string): string {
  const start = page.indexOf(after);
  assert.ok(start >= 0, `docs/using-the-library.md has no '${after}'`);
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(page.slice(start));
  assert.ok(m, `no \`\`\`${lang} block after '${after}'`);
  return m[1]!;
}

test('the example of docs/using-the-library.md runs and prints what the page says', () => {
  const code = block('## Example', 'js');
  assert.match(code, /from 'sonicdiffusion'/, 'the example imports the package by name');
  const printed = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(printed, block('It prints:', 'text'));
});
