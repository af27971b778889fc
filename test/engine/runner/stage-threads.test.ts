// The thread share a starting stage gets as SONIC_WASM_THREADS: idle cores split among the running local
// stages, a declared `resources.cpu` as the limit, a cluster job's cpus-per-task, and the user's setting
// first. The core count is injected (--cpus), never the test machine's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPipeline } from '../../../src/engine/config/load-pipeline.js';
import type { ResourceRequest } from '../../../src/engine/config/pipeline-model.js';
import { runPipeline } from '../../../src/engine/runner/run-pipeline.js';
import { MAX_AUTO_THREADS, stageThreads, threadEnv } from '../../../src/engine/runner/stage-threads.js';
import { openRunStore } from '../../../src/engine/store/run-store.js';

// the runner's own SONIC_WASM_THREADS would win over every share tested here
delete process.env.SONIC_WASM_THREADS;

const cpu1: ResourceRequest = { cpu: 1, memoryMB: 0, gpu: 0 };
const declared = (cpu: number): ResourceRequest => ({ cpu, memoryMB: 0, gpu: 0, cpuDeclared: true });
const share = (cores: number, running: number, resources = cpu1, onCluster = false, userSet = false) => stageThreads({ cores, running, resources, onCluster, userSet });

test('idle cores are split among the running local stages, capped, and one thread sets nothing', () => {
  assert.deepEqual(share(16, 1), { count: 16, why: '16 cores, 1 stage running' });
  assert.equal(share(16, 4)?.count, 4);
  assert.equal(share(16, 3)?.count, 5);
  assert.equal(share(64, 1)?.count, MAX_AUTO_THREADS);
  assert.equal(share(2, 2), undefined);
  assert.equal(share(2, 3), undefined);
  assert.equal(share(1, 1), undefined);
  assert.deepEqual(threadEnv(share(8, 2)), { SONIC_WASM_THREADS: '4' });
  assert.deepEqual(threadEnv(undefined), {}, 'SONIC_WASM_THREADS=1 would mean all cores: never set');
});

test('a declared cpu count is the most a stage gets; on a cluster only a declared cpus-per-task counts; the user wins', () => {
  assert.deepEqual(share(16, 1, declared(4)), { count: 4, why: 'resources.cpu 4' });
  assert.equal(share(16, 1, declared(1)), undefined, 'cpu: 1 declared = single-threaded');
  assert.equal(share(2, 1, declared(8))?.count, 2, 'never more than the machine has');
  assert.deepEqual(share(2, 1, declared(8), true), { count: 8, why: 'cpus-per-task 8' }, 'a Slurm job gets the CPUs it asked Slurm for');
  assert.equal(share(16, 1, cpu1, true), undefined, 'a Slurm job without cpus-per-task: nothing');
  assert.equal(share(16, 1, cpu1, false, true), undefined);
  assert.equal(share(16, 1, declared(4), true, true), undefined);
});

const NODE = JSON.stringify(process.execPath);
const PRINT = `require('fs').writeFileSync(process.argv[1], process.env.SONIC_WASM_THREADS ?? 'unset')`;
const stage = (id: string, extra = '') => `  ${id}:\n    run: [${NODE}, "-e", "${PRINT}", "\${{ outputs.o }}"]\n    outputs: {o: o.txt}\n${extra}`;

async function threadsSeen(stages: string, options: { cpus: number; jobs?: number }): Promise<{ env: Record<string, string>; logs: Record<string, string>; started: unknown[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'sonic-threads-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{}');
    writeFileSync(join(dir, 'pipeline.yaml'), `version: 1\nstages:\n${stages}`);
    const summary = await runPipeline(loadPipeline(join(dir, 'pipeline.yaml')), { workspace: join(dir, '.sonic'), gpus: [], ...options });
    assert.equal(summary.status, 'succeeded');
    const env = Object.fromEntries(summary.stages.map((s) => [s.stageId, readFileSync(s.outputs!.o!, 'utf8')]));
    const logs = Object.fromEntries(summary.stages.map((s) => [s.stageId, readFileSync(s.logPath!, 'utf8')]));
    const store = openRunStore(join(dir, '.sonic'), { readonly: true });
    try {
      const started = store.query(`SELECT json_extract(payload_json, '$.threads') AS threads FROM events WHERE type = 'stage-started' ORDER BY id`).map((r) => (r.threads === null ? null : JSON.parse(String(r.threads))));
      return { env, logs, started };
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a lone stage gets every core; the count is in its log and in the stage-started event', async () => {
  const { env, logs, started } = await threadsSeen(stage('a'), { cpus: 8 });
  assert.equal(env.a, '8');
  assert.match(logs.a!, /stage a attempt 1 started with 8 wasm threads \(8 cores, 1 stage running\)/);
  assert.deepEqual(started, [{ count: 8, why: '8 cores, 1 stage running' }]);
});

test('stages let through together share the cores; a chain gets them one stage at a time', async () => {
  const together = await threadsSeen(stage('a') + stage('b'), { cpus: 8, jobs: 2 });
  assert.deepEqual(together.env, { a: '4', b: '4' });
  const chain = await threadsSeen(stage('a') + `  b:\n    run: [${NODE}, "-e", "${PRINT}", "\${{ outputs.o }}", "\${{ stages.a.outputs.o }}"]\n    outputs: {o: o.txt}\n`, { cpus: 8 });
  assert.deepEqual(chain.env, { a: '8', b: '8' });
});

test('a declared cpu count limits the share; a user-set SONIC_WASM_THREADS wins; one core sets nothing', async () => {
  const r = await threadsSeen(stage('a', '    resources: {cpu: 2}\n') + stage('u', '    env: {SONIC_WASM_THREADS: "3"}\n'), { cpus: 8, jobs: 1 });
  assert.deepEqual(r.env, { a: '2', u: '3' });
  assert.doesNotMatch(r.logs.u!, /wasm thread/);
  assert.deepEqual((await threadsSeen(stage('a'), { cpus: 1 })).env, { a: 'unset' });
});
