import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const backendModule = new URL('../../src/compute/backend.js', import.meta.url).href;
const script = `
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '${backendModule}';
const choice = await selectBackend({ requested: 'wasm' });
const a = tf.tensor2d(Array.from({ length: 64 * 48 }, (_, i) => Math.sin(i)), [64, 48]);
const b = tf.tensor2d(Array.from({ length: 48 * 32 }, (_, i) => Math.cos(i)), [48, 32]);
const sum = tf.sum(tf.matMul(a, b)).dataSync()[0];
console.log(JSON.stringify({ ...choice, sum }));
`;

function run(env: Record<string, string>): { name: string; threads: number; reason: string; sum: number } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, SONIC_BACKEND: '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
    cwd: new URL('../../../', import.meta.url).pathname,
  });
  assert.equal(r.status, 0, `child exited with ${r.status} (signal ${r.signal}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { name: string; threads: number; reason: string; sum: number };
}

test('SONIC_WASM_THREADS=2 runs wasm with 2 worker threads, gives the single-thread result, and lets the process exit', () => {
  const single = run({});
  const threaded = run({ SONIC_WASM_THREADS: '2' });
  assert.equal(single.threads, 1);
  assert.match(single.reason, /, 1 thread$/, 'the stage log names the thread count even for one');
  assert.equal(threaded.name, 'wasm');
  assert.equal(threaded.threads, 2);
  assert.match(threaded.reason, /2 threads via the worker_threads shim/);
  assert.ok(Math.abs(threaded.sum - single.sum) <= 1e-3 * Math.abs(single.sum), `${threaded.sum} vs ${single.sum}`);
});
