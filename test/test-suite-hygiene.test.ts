// Tests assert behaviour, never wall-clock speed: a bound on elapsed time fails on a busy machine (a yield
// point once took 10.4 µs against a "< 5 µs" bound). Speed belongs in bench/ (see bench/README.md). An
// assertion about time that is behaviour (an external time limit was honoured) carries a `// wall-clock:`
// comment saying why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLOCK = /performance\.now\(\)|Date\.now\(\)|process\.hrtime/;

function testSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'fixtures' ? [] : testSources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Lines of `source` that compare a clock reading (or a value computed from one) inside an assertion. */
function timedAssertions(source: string): number[] {
  const timed = new Set<string>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const m of source.matchAll(/(?:const|let|var)\s+(\w+)\s*=\s*([^;\n]*)/g)) {
      const [, name, value] = m as unknown as [string, string, string];
      if (timed.has(name)) continue;
      if (CLOCK.test(value) || [...timed].some((t) => new RegExp(`\\b${t}\\b`).test(value))) {
        timed.add(name);
        grew = true;
      }
    }
  }
  const lines: number[] = [];
  source.split('\n').forEach((line, i) => {
    if (!/\bassert\.\w+\(/.test(line) || line.includes('// wall-clock:')) return;
    if (!/[^=]>=?|<=?/.test(line.replace(/=>/g, ''))) return;
    if (CLOCK.test(line) || [...timed].some((t) => new RegExp(`\\b${t}\\b`).test(line))) lines.push(i + 1);
  });
  return lines;
}

test('the check finds timed assertions, direct or through a variable', () => {
  assert.deepEqual(timedAssertions('const t0 = performance.now();\nwork();\nconst us = (performance.now() - t0) * 1000;\nassert.ok(us < 5);\n'), [4]);
  assert.deepEqual(timedAssertions('const t0 = Date.now();\nawait run();\nassert.ok(Date.now() - t0 < 15_000, "cancelled");\n'), [3]);
  assert.deepEqual(timedAssertions('const t0 = Date.now();\nconst ms = Date.now() - t0;\nconst s = ms / 1000;\nassert.ok(s <= 2);\n'), [4]);
  assert.deepEqual(timedAssertions('const d = distance(a, b);\nassert.ok(d > 0);\nassert.ok(xs.every((x) => x > 0));\n'), []);
  assert.deepEqual(timedAssertions('const t0 = Date.now();\nassert.ok(Date.now() - t0 >= 55_000); // wall-clock: the limit was honoured\n'), []);
});

test('no test asserts how long something took', () => {
  const self = join(ROOT, 'test', 'test-suite-hygiene.test.ts'); // its examples above are timed on purpose
  const found = testSources(join(ROOT, 'test')).filter((file) => file !== self).flatMap((file) =>
    timedAssertions(readFileSync(file, 'utf8')).map((line) => `${relative(ROOT, file)}:${line}`),
  );
  assert.deepEqual(found, [], `timed assertions (move the timing to bench/, or mark behaviour with "// wall-clock: why"):\n${found.join('\n')}`);
});
