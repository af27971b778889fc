import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobSpec } from '../../../src/engine/exec/executor.js';
import {
  isSlurmTimeLimit,
  renderJobScript,
  sbatchDirectives,
  sbatchValue,
  shellQuote,
  slurmJobName,
  type JobScriptOptions,
} from '../../../src/engine/exec/slurm/job-script.js';

const baseOpts: JobScriptOptions = { nodePath: '/usr/bin/node', nodeArgs: [], workerPath: '/w/stage-worker.js', extraArgs: [] };

function spec(over: Partial<JobSpec> = {}): JobSpec {
  return {
    stageId: 'train',
    stageRunDir: '/ws/.sonic/runs/1/train',
    kind: 'uses',
    env: {},
    resources: { cpu: 2, memoryMB: 1536, gpu: 0 },
    gpus: [],
    logPath: '/ws/.sonic/runs/1/train/log.txt',
    ...over,
  };
}

test('directives carry name, log, cpus, memory, gpus, time, partition, account and extra flags', () => {
  const d = sbatchDirectives(spec({ resources: { cpu: 3, memoryMB: 1000.5, gpu: 2 } }), {
    ...baseOpts,
    timeLimit: '1:30:00',
    partition: 'gpu',
    account: 'lab42',
    extraArgs: ['--qos=high', '--exclusive', '--comment=two words'],
  });
  assert.deepEqual(d, [
    '--job-name=sonic-train',
    '--output=/ws/.sonic/runs/1/train/log.txt',
    '--open-mode=append',
    '--nodes=1',
    '--ntasks=1',
    '--cpus-per-task=3',
    '--mem=1001M',
    '--gres=gpu:2',
    '--time=1:30:00',
    '--partition=gpu',
    '--account=lab42',
    '--qos=high',
    '--exclusive',
    '--comment="two words"',
  ]);
});

test('no --mem and no --gres when the stage asks for none; cpu defaults to 1', () => {
  const d = sbatchDirectives(spec({ resources: { cpu: 0, memoryMB: 0, gpu: 0 } }), baseOpts);
  assert.ok(d.includes('--cpus-per-task=1'));
  assert.ok(!d.some((l) => l.startsWith('--mem') || l.startsWith('--gres')));
});

test('log paths keep spaces and literal percent signs', () => {
  const d = sbatchDirectives(spec({ logPath: '/my ws/100% done/log.txt' }), baseOpts);
  assert.ok(d.includes('--output="/my ws/100%% done/log.txt"'));
});

test('values sbatch cannot carry and bad flags are refused with a clear message', () => {
  assert.throws(() => sbatchValue('a"b', 'partition'), /partition cannot be passed to sbatch/);
  assert.throws(() => sbatchDirectives(spec(), { ...baseOpts, extraArgs: ['qos=high'] }), /must be a flag/);
  assert.throws(() => sbatchDirectives(spec(), { ...baseOpts, timeLimit: '1h' }), /not a Slurm time/);
  assert.throws(() => renderJobScript(spec({ env: { 'BAD-NAME': 'x' } }), baseOpts), /not a valid shell name/);
});

test('GPU device variables are left to Slurm; other env is exported', () => {
  const script = renderJobScript(spec({ env: { CUDA_VISIBLE_DEVICES: '', SEED: '3', ROCR_VISIBLE_DEVICES: '0' } }), baseOpts);
  assert.ok(script.includes('\nexport SEED=3\n'));
  assert.ok(!/VISIBLE_DEVICES/.test(script), script);
});

test('Slurm time formats', () => {
  for (const ok of ['30', '0:30', '2:00:00', '1-0', '1-2:30', '1-02:30:00']) assert.ok(isSlurmTimeLimit(ok), ok);
  for (const bad of ['', '1h', '1:2:3:4', '-5', 'a:b']) assert.ok(!isSlurmTimeLimit(bad), bad);
});

test('job names are sanitised stage ids', () => {
  assert.equal(slurmJobName('train_s2[ablation=no_mse,data=hits]'), 'sonic-train_s2_ablation=no_mse,data=hits_');
  assert.equal(slurmJobName('a $(b) "c"'), 'sonic-a_b_c_');
});

test('shellQuote leaves plain words alone and single-quotes the rest', () => {
  assert.equal(shellQuote('/usr/bin/node'), '/usr/bin/node');
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
  assert.equal(shellQuote(''), "''");
  assert.throws(() => shellQuote('a\0b'), /NUL/);
});

test('a hostile stage id, run dir and env value reach the worker verbatim and execute nothing', () => {
  const root = mkdtempSync(join(tmpdir(), 'sonic-jobscript-'));
  try {
    // Any command that slips through creates `pwned` in the directory it runs in (root or the run dir).
    const hostile = `x'; touch pwned; echo '$(touch pwned) \`touch pwned\` "q" $HOME\nnext`;
    const stageRunDir = join(root, `run dir $(touch pwned) 'q' \`touch pwned\``);
    mkdirSync(stageRunDir);
    const out = join(root, 'argv.json');
    // Stand-in for node: print argv and the exported env var as JSON instead of starting a worker.
    const opts: JobScriptOptions = {
      ...baseOpts,
      nodePath: process.execPath,
      nodeArgs: ['-e', `require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify({argv: process.argv.slice(1), env: process.env.STAGE_NOTE, cwd: process.cwd()}))`],
      workerPath: `/w/worker $(touch pwned).js`,
    };
    const script = renderJobScript(spec({ stageId: hostile, stageRunDir, env: { STAGE_NOTE: hostile } }), opts);
    const scriptPath = join(root, 'job.sbatch');
    writeFileSync(scriptPath, script);
    const r = spawnSync('bash', [scriptPath], { encoding: 'utf8', cwd: root });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(existsSync(join(root, 'pwned')), false, 'the script executed part of a user string');
    assert.equal(existsSync(join(stageRunDir, 'pwned')), false, 'the script executed part of a user string');
    const seen = JSON.parse(readFileSync(out, 'utf8')) as { argv: string[]; env: string; cwd: string };
    assert.deepEqual(seen.argv, [opts.workerPath, join(stageRunDir, 'job.json')]);
    assert.equal(seen.env, hostile);
    assert.equal(seen.cwd, stageRunDir);
    // The stage id appears only in the sanitised job name and a comment line.
    const directive = script.split('\n').find((l) => l.startsWith('#SBATCH --job-name='));
    assert.match(directive ?? '', /^#SBATCH --job-name=sonic-[A-Za-z0-9._=,_-]+$/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
