import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  activeStatus,
  finalStatus,
  isActiveState,
  parseExitCode,
  parseSacct,
  parseScontrolJob,
  parseSqueue,
} from '../../../src/engine/exec/slurm/slurm-state.js';

test('squeue lines become job id -> state and reason', () => {
  const jobs = parseSqueue('12|PENDING|Priority\n13|RUNNING|None\n14|TIMEOUT|TimeLimit\n\n');
  assert.deepEqual(jobs.get('12'), { state: 'PENDING', reason: 'Priority' });
  assert.deepEqual(jobs.get('13'), { state: 'RUNNING', reason: undefined });
  assert.deepEqual(jobs.get('14'), { state: 'TIMEOUT', reason: 'TimeLimit' });
  assert.equal(jobs.size, 3);
});

test('queued and running states', () => {
  assert.equal(activeStatus({ state: 'PENDING', reason: 'Resources' }).state, 'queued');
  assert.equal(activeStatus({ state: 'PENDING', reason: 'Resources' }).message, 'slurm: PENDING (Resources)');
  for (const s of ['RUNNING', 'COMPLETING', 'CONFIGURING']) assert.equal(activeStatus({ state: s }).state, 'running', s);
  for (const s of ['PENDING', 'RUNNING', 'COMPLETING']) assert.ok(isActiveState(s), s);
  for (const s of ['COMPLETED', 'FAILED', 'TIMEOUT', 'CANCELLED', 'OUT_OF_MEMORY', 'NODE_FAIL']) assert.ok(!isActiveState(s), s);
});

test('sacct: the job line (not .batch/.extern) gives state and exit code', () => {
  const out = '12|CANCELLED by 0|0:15\n12.batch|CANCELLED|0:15\n12.extern|COMPLETED|0:0\n';
  assert.deepEqual(parseSacct(out, '12'), { state: 'CANCELLED', exitCode: null, signal: 15 });
  assert.deepEqual(parseSacct('7|FAILED|3:0\n7.batch|FAILED|3:0\n', '7'), { state: 'FAILED', exitCode: 3 });
  assert.equal(parseSacct('7|FAILED|3:0\n', '8'), undefined);
  assert.equal(parseSacct('', '8'), undefined);
});

test('scontrol show job -o: JobState, Reason and ExitCode', () => {
  const out =
    'JobId=2 JobName=wrap UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901758 Nice=0 Account=(null) QOS=(null) ' +
    'JobState=TIMEOUT Reason=TimeLimit Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:15 RunTime=00:01:24';
  assert.deepEqual(parseScontrolJob(out), { state: 'TIMEOUT', reason: 'TimeLimit', exitCode: null, signal: 15 });
  const multi = 'JobId=5 JobName=x\n   JobState=FAILED Reason=NonZeroExitCode Dependency=(null)\n   Requeue=1 ExitCode=2:0\n';
  assert.deepEqual(parseScontrolJob(multi), { state: 'FAILED', reason: 'NonZeroExitCode', exitCode: 2 });
  assert.equal(parseScontrolJob('slurm_load_jobs error: Invalid job id specified'), undefined);
});

test('exit codes', () => {
  assert.deepEqual(parseExitCode('0:0'), { exitCode: 0 });
  assert.deepEqual(parseExitCode('137:9'), { exitCode: 137, signal: 9 });
  assert.deepEqual(parseExitCode('garbage'), {});
});

const ok = { status: 'succeeded' as const, exitCode: 0, durationMs: 5 };
const bad = { status: 'failed' as const, exitCode: 3, error: 'exit code 3', durationMs: 5 };

test('Slurm kills override the worker: timeout, oom, cancelled, preempted, node failure', () => {
  assert.equal(finalStatus({ state: 'TIMEOUT', reason: 'TimeLimit' }, undefined).state, 'timeout');
  assert.match(finalStatus({ state: 'TIMEOUT', reason: 'TimeLimit' }, undefined).message ?? '', /TIMEOUT.*TimeLimit.*time limit/);
  assert.equal(finalStatus({ state: 'OUT_OF_MEMORY' }, bad).state, 'oom');
  assert.equal(finalStatus({ state: 'CANCELLED', exitCode: null, signal: 15 }, undefined).state, 'cancelled');
  assert.equal(finalStatus({ state: 'PREEMPTED' }, undefined).state, 'interrupted');
  const node = finalStatus({ state: 'NODE_FAIL' }, undefined);
  assert.equal(node.state, 'failed');
  assert.match(node.message ?? '', /NODE_FAIL/);
});

test('otherwise the worker result decides, with the Slurm state in the message', () => {
  assert.deepEqual(finalStatus({ state: 'COMPLETED', exitCode: 0 }, ok), { state: 'succeeded', exitCode: 0, message: 'slurm: COMPLETED (exit 0)' });
  const failed = finalStatus({ state: 'FAILED', exitCode: 1 }, bad);
  assert.equal(failed.state, 'failed');
  assert.equal(failed.exitCode, 3);
  assert.equal(failed.message, 'exit code 3 [slurm: FAILED (exit 1)]');
  assert.equal(finalStatus(undefined, ok).state, 'succeeded');
});

test('a job that ended without result.json failed, and says so', () => {
  const s = finalStatus({ state: 'FAILED', exitCode: 127 }, undefined);
  assert.deepEqual([s.state, s.exitCode], ['failed', 127]);
  assert.match(s.message ?? '', /without writing result\.json/);
  assert.match(finalStatus(undefined, undefined).message ?? '', /state unknown/);
});
