// The shared YAML reader: the model registry and the workspace config get the same limits and positioned
// messages as pipeline files; legitimate merges stay within the alias limit; the parse cache respects limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModelRegistry, ModelRegistryError } from '../../../src/encoders/onnx/model-registry.js';
import { DEFAULT_LIMITS, limitsFromEnv } from '../../../src/engine/config/input-limits.js';
import { loadPipeline, PipelineConfigError } from '../../../src/engine/config/load-pipeline.js';
import { parseYamlData } from '../../../src/engine/config/yaml-reader.js';
import { ExecutorConfigError, loadExecutorConfig } from '../../../src/engine/exec/slurm/slurm-settings.js';
import { tempDir } from '../../helpers/temp-dir.js';

function errorMessage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail('expected an error');
}

test('the model registry reports alias, merge, document and encoding problems at file:line:col', () => {
  const dir = tempDir('sonic-registry-yaml-');
  const file = join(dir, 'models.yaml');
  const head = 'version: 1\nmodelsDir: models\ncacheDir: cache\nmodels:\n';
  const cases: [string | Buffer, RegExp][] = [
    [`${head}  clap:\n    <<: *shared\n    dir: clap\n`, /models\.yaml:6:9: alias \*shared refers to no anchor/],
    [`${head}  clap:\n    <<: 5\n    dir: clap\n`, /models\.yaml:6:9: "<<" merges mappings into this one: .* got the number 5/],
    [`${head}---\nversion: 1\n`, /models\.yaml:5:1: a second YAML document starts here/],
    [`${head}  clap: !!js/function "x"\n`, /models\.yaml:5:9: unknown YAML tag !!js\/function/],
    [Buffer.concat([Buffer.from(`${head}  cl`), Buffer.from([0xff]), Buffer.from('ap: {}\n')]), /models\.yaml:5:5: invalid UTF-8 \(byte 0xFF at byte offset 57\)/],
  ];
  for (const [text, expected] of cases) {
    writeFileSync(file, text);
    let error: unknown;
    try {
      loadModelRegistry(file);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof ModelRegistryError, String(error));
    assert.match(error.message, expected);
  }
});

test('the workspace config (sonic.config.yaml) reports the same problems at file:line:col', () => {
  const dir = tempDir('sonic-config-yaml-');
  const file = join(dir, 'sonic.config.yaml');
  const cases: [string, RegExp][] = [
    ['executor:\n  slurm: *cluster\n', /sonic\.config\.yaml:2:10: alias \*cluster refers to no anchor/],
    ['executor:\n  default: local\n---\nexecutor: {}\n', /sonic\.config\.yaml:3:1: a second YAML document starts here/],
    [`executor:\n  stages: ${'['.repeat(100)}${']'.repeat(100)}\n`, /sonic\.config\.yaml:2:73: lists and mappings nested deeper than 64 levels/],
  ];
  for (const [text, expected] of cases) {
    writeFileSync(file, text);
    let error: unknown;
    try {
      loadExecutorConfig(dir);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof ExecutorConfigError, String(error));
    assert.match(error.message, expected);
  }
});

test('a merge key used by 2,000 stages is well within the alias limit (yaml alone stops at 100 by default)', () => {
  const stages = Array.from({ length: 2000 }, (_, i) => `  s${i}: {<<: *defaults, run: echo}\n`).join('');
  const { data, problems } = parseYamlData(`x-defaults: &defaults {retries: 1, resources: {cpu: 1}}\nstages:\n${stages}`, DEFAULT_LIMITS);
  assert.deepEqual(problems, []);
  assert.deepEqual((data as { stages: Record<string, unknown> }).stages.s1999, { retries: 1, resources: { cpu: 1 }, run: 'echo' });
});

test('limits from the environment: whole numbers >= 1, the depth at most 500; anything else is reported', () => {
  assert.deepEqual(limitsFromEnv({}), { limits: DEFAULT_LIMITS, problems: [] });
  const { limits, problems } = limitsFromEnv({ SONIC_MAX_YAML_BYTES: '4194304', SONIC_MAX_YAML_DEPTH: '501', SONIC_MAX_MATRIX_COMBINATIONS: '0', SONIC_MAX_YAML_VALUES: '1e6' });
  assert.equal(limits.maxFileBytes, 4194304);
  assert.equal(limits.maxDepth, DEFAULT_LIMITS.maxDepth);
  assert.deepEqual(problems, [
    'SONIC_MAX_YAML_DEPTH=501: at most 500 is supported',
    'SONIC_MAX_YAML_VALUES=1e6: expected a whole number >= 1',
    'SONIC_MAX_MATRIX_COMBINATIONS=0: expected a whole number >= 1',
  ]);
});

test('data from the parse cache is not used under lower limits: the file is checked again', () => {
  const dir = tempDir('sonic-limits-cache-');
  const file = join(dir, 'p.yaml');
  writeFileSync(file, 'version: 1\nvars:\n  seeds: [1, 2, 3, 4, 5]\nstages:\n  a: {run: [node, -e, "1"]}\n');
  const cacheDir = join(dir, 'cache');
  assert.deepEqual(loadPipeline(file, { parseCacheDir: cacheDir, env: {} }).vars.seeds, [1, 2, 3, 4, 5]);
  assert.deepEqual(loadPipeline(file, { parseCacheDir: cacheDir, env: {} }).vars.seeds, [1, 2, 3, 4, 5]);
  const message = errorMessage(() => loadPipeline(file, { parseCacheDir: cacheDir, env: {}, limits: { maxListItems: 4 } }));
  assert.match(message, /p\.yaml:3:10: a list of 5 items; a list may have at most 4/);
  assert.throws(() => loadPipeline(file, { parseCacheDir: cacheDir, env: { SONIC_MAX_YAML_LIST_ITEMS: '4' } }), PipelineConfigError);
});
