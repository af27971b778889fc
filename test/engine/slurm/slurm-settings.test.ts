import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ExecutorConfigError,
  executorForStage,
  loadExecutorConfig,
  parseExecutorConfig,
} from '../../../src/engine/exec/slurm/slurm-settings.js';

const FILE = '/ws/sonic.config.yaml';

test('a full executor section', () => {
  const cfg = parseExecutorConfig(
    [
      'executor:',
      '  default: slurm',
      '  slurm:',
      '    partition: gpu',
      '    account: lab42',
      '    timeLimit: "2:00:00"',
      '    extraArgs: ["--qos=high"]',
      '    pollIntervalMs: 5000',
      '  stages:',
      '    "train_*": slurm',
      '    table: local',
      'other: ignored',
    ].join('\n'),
    FILE,
  );
  assert.deepEqual(cfg, {
    file: FILE,
    default: 'slurm',
    slurm: { partition: 'gpu', account: 'lab42', timeLimit: '2:00:00', extraArgs: ['--qos=high'], pollIntervalMs: 5000 },
    stages: [
      { pattern: 'train_*', executor: 'slurm' },
      { pattern: 'table', executor: 'local' },
    ],
  });
});

test('a numeric timeLimit is minutes; an empty file means local everywhere', () => {
  assert.equal(parseExecutorConfig('executor:\n  slurm:\n    timeLimit: 30\n', FILE).slurm.timeLimit, '30');
  assert.deepEqual(parseExecutorConfig('', FILE), { file: FILE, default: 'local', slurm: {}, stages: [] });
});

test('per-stage choice: exact id, then base id, then first glob, then default', () => {
  const cfg = parseExecutorConfig(
    'executor:\n  default: local\n  stages:\n    "train_*": slurm\n    "train_s2": local\n    "gen[data=hits]": slurm\n    "?val": slurm\n',
    FILE,
  );
  assert.equal(executorForStage(cfg, { id: 'train_s1[data=hits]', baseId: 'train_s1' }), 'slurm');
  assert.equal(executorForStage(cfg, { id: 'train_s2[data=hits]', baseId: 'train_s2' }), 'local');
  assert.equal(executorForStage(cfg, { id: 'gen[data=hits]', baseId: 'gen' }), 'slurm');
  assert.equal(executorForStage(cfg, { id: 'gen[data=ravdess]', baseId: 'gen' }), 'local');
  assert.equal(executorForStage(cfg, { id: 'eval', baseId: 'eval' }), 'slurm');
  assert.equal(executorForStage(cfg, { id: 'table', baseId: 'table' }), 'local');
});

function errorOf(text: string): string {
  try {
    parseExecutorConfig(text, FILE);
  } catch (e) {
    assert.ok(e instanceof ExecutorConfigError, String(e));
    return e.message;
  }
  assert.fail('expected an error');
}

test('errors name file:line:col, the field and what is expected', () => {
  assert.equal(errorOf('executor:\n  default: cluster\n'), `${FILE}:2:12: executor.default: expected \`local\` or \`slurm\``);
  assert.equal(
    errorOf('executor:\n  slurm:\n    partition: gpu\n    timeLimit: 2h\n'),
    `${FILE}:4:16: executor.slurm.timeLimit: expected a Slurm time: minutes, "m:s", "h:m:s" or "d-h:m:s"`,
  );
  assert.equal(errorOf('executor:\n  slurm:\n    partiton: gpu\n'), `${FILE}:3:5: executor.slurm: unknown field(s) \`partiton\``);
  assert.equal(errorOf('executor:\n  stages:\n    train: gpu\n'), `${FILE}:3:12: executor.stages.train: expected \`local\` or \`slurm\``);
  assert.match(errorOf('executor:\n  slurm:\n    extraArgs: ["qos=high"]\n'), /^\/ws\/sonic\.config\.yaml:3:17: executor\.slurm\.extraArgs\.0: each extra sbatch argument must be a flag/);
  assert.match(errorOf('executor: [\n'), /^\/ws\/sonic\.config\.yaml:\d+:\d+: invalid YAML: /);
  assert.equal(errorOf('executor: local\n'), `${FILE}:1:11: executor: expected a mapping`);
});

test('the workspace file is found as sonic.config.yaml or .sonic/config.yaml', () => {
  const ws = mkdtempSync(join(tmpdir(), 'sonic-settings-'));
  try {
    assert.equal(loadExecutorConfig(ws).default, 'local');
    mkdirSync(join(ws, '.sonic'));
    writeFileSync(join(ws, '.sonic', 'config.yaml'), 'executor:\n  default: slurm\n');
    assert.equal(loadExecutorConfig(ws).file, join(ws, '.sonic', 'config.yaml'));
    writeFileSync(join(ws, 'sonic.config.yaml'), 'executor:\n  default: local\n');
    assert.deepEqual([loadExecutorConfig(ws).file, loadExecutorConfig(ws).default], [join(ws, 'sonic.config.yaml'), 'local']);
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});
