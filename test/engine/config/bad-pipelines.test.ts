// Every test/fixtures/bad-pipelines/NAME.yaml must fail to load with exactly the diagnostics in
// NAME.expected.txt (paths relative to that directory, which is the working directory here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDiagnostics, loadPipeline, PipelineConfigError } from '../../../src/engine/config/load-pipeline.js';
import { fixtures } from './fixture-paths.js';

const dir = join(fixtures, 'bad-pipelines');
process.chdir(dir);
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.slice(0, -'.yaml'.length))
  .sort();

test('the bad-pipeline corpus has at least 30 cases', () => {
  assert.ok(cases.length >= 30, `only ${cases.length} cases`);
});

for (const name of cases) {
  test(`bad pipeline: ${name}`, () => {
    const expected = readFileSync(join(dir, `${name}.expected.txt`), 'utf8').trimEnd();
    let error: unknown;
    try {
      loadPipeline(`${name}.yaml`);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof PipelineConfigError, `expected a PipelineConfigError, got ${String(error)}`);
    assert.equal(formatDiagnostics(error.diagnostics), expected);
    assert.equal(error.message, expected);
  });
}

test('bad pipelines report the same diagnostics when their YAML comes from the parse cache', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'sonic-yaml-cache-'));
  try {
    const messageOf = (name: string): string => {
      try {
        loadPipeline(`${name}.yaml`, { parseCacheDir: cacheDir });
      } catch (e) {
        if (e instanceof PipelineConfigError) return e.message;
        throw e;
      }
      return 'loaded without error';
    };
    for (const name of cases) messageOf(name); // fills the cache (files with YAML syntax errors are not cached)
    const cached = readdirSync(cacheDir).length;
    assert.ok(cached >= cases.length - 10, `only ${cached} cache entries for ${cases.length} cases`);
    for (const name of cases) {
      assert.equal(messageOf(name), readFileSync(join(dir, `${name}.expected.txt`), 'utf8').trimEnd(), name);
    }
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});
