import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executorForRun } from '../../../src/engine/exec/slurm/executor-for-run.js';
import { ExecutorRouter } from '../../../src/engine/exec/slurm/executor-router.js';
import { SlurmExecutor } from '../../../src/engine/exec/slurm/slurm-executor.js';
import { LocalExecutor } from '../../../src/engine/exec/local-executor.js';
import { loadExecutorConfigForStateDir, parseExecutorConfig } from '../../../src/engine/exec/slurm/slurm-settings.js';

const stages = [{ id: 'train[k=1]', baseId: 'train' }];
const cfg = (text: string) => parseExecutorConfig(text, '/p/sonic.config.yaml');

test('no settings: local; default slurm: slurm; mixed rules: a router; --executor overrides', () => {
  assert.ok(executorForRun({ config: cfg(''), stages }) instanceof LocalExecutor);
  assert.ok(executorForRun({ config: cfg('executor:\n  default: slurm\n'), stages }) instanceof SlurmExecutor);
  const mixed = cfg('executor:\n  stages:\n    train: slurm\n');
  const router = executorForRun({ config: mixed, stages });
  assert.ok(router instanceof ExecutorRouter);
  assert.equal(router.executorFor('train[k=1]').name, 'slurm');
  assert.equal(router.allocatesResources?.('train[k=1]'), true, 'Slurm stages are outside the local budget');
  assert.equal(router.allocatesResources?.('table'), false, 'local stages use the local budget');
  assert.ok(executorForRun({ config: mixed, stages, override: 'local' }) instanceof LocalExecutor);
  assert.ok(executorForRun({ config: cfg(''), stages, override: 'slurm' }) instanceof SlurmExecutor);
  assert.throws(() => executorForRun({ config: cfg(''), stages, override: 'k8s' }), /unknown executor "k8s" \(available: local, slurm\)/);
});

test('the config is found beside the state dir or inside it', () => {
  const root = mkdtempSync(join(tmpdir(), 'sonic-statedir-'));
  try {
    const state = join(root, '.sonic');
    mkdirSync(state);
    assert.equal(loadExecutorConfigForStateDir(state).file, undefined);
    writeFileSync(join(state, 'config.yaml'), 'executor:\n  default: slurm\n');
    assert.equal(loadExecutorConfigForStateDir(state).default, 'slurm');
    writeFileSync(join(root, 'sonic.config.yaml'), 'executor:\n  default: local\n');
    assert.equal(loadExecutorConfigForStateDir(state).file, join(root, 'sonic.config.yaml'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
