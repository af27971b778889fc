// sonic doctor reports the backends in auto order, the Dawn adapters with their limits, whether SD-1.4
// fits each backend, and ffmpeg/Slurm, as text and as JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/commands/doctor.js';
import type { Io } from '../../src/cli/run-command.js';
import { webgpuSkipReason } from '../compute/webgpu/webgpu-gate.js';

const noAdapter = await webgpuSkipReason(); // also points VK_DRIVER_FILES at SwiftShader when it is installed

function io(): Io & { out: string; err: string } {
  const c = {
    out: '',
    err: '',
    stdout: (s: string) => void (c.out += s),
    stderr: (s: string) => void (c.err += s),
    stdoutIsTTY: false,
    env: process.env,
    cwd: process.cwd(),
  };
  return c;
}

interface Report {
  backends: Array<{ name: string; loads: boolean; auto: boolean; why: string }>;
  adapters: Array<{ index: number; name: string; isFallback: boolean; maxBufferSize: number; maxStorageBufferBindingSize: number }>;
  autoPick: string;
  sd14: Array<{ backend: string; workload: string; needGiB: number; fits: boolean; why: string }>;
  tools: Array<{ name: string; usable: boolean; why: string }>;
}

test('doctor --json: backends in auto order, SD-1.4 refused on wasm, ffmpeg and Slurm with reasons', async () => {
  const c = io();
  assert.equal(await main(['--json'], c), 0, c.err);
  const r = JSON.parse(c.out) as Report;
  assert.deepEqual(r.backends.map((b) => b.name), ['tensorflow', 'webgpu', 'wasm', 'cpu']);
  const wasm = r.backends.find((b) => b.name === 'wasm')!;
  assert.ok(wasm.loads && wasm.auto);
  assert.equal(r.autoPick, r.backends.find((b) => b.auto)!.name);
  const wasmRows = r.sd14.filter((s) => s.backend === 'wasm');
  assert.equal(wasmRows.length, 2);
  for (const row of wasmRows) {
    assert.equal(row.fits, false);
    assert.match(row.why, /more than the wasm backend's usable WebAssembly heap/);
  }
  assert.ok(r.sd14.find((s) => s.backend === 'cpu' && !s.workload.includes('training'))!.needGiB > 3.31);
  assert.deepEqual(r.tools.map((t) => t.name), ['ffmpeg', 'slurm']);
  for (const t of r.tools) assert.ok(t.why.length > 10, `${t.name} has a reason`);
});

test('doctor lists the SwiftShader adapter with its limits as fallback-only', { skip: noAdapter }, async () => {
  const c = io();
  assert.equal(await main(['--json'], c), 0, c.err);
  const r = JSON.parse(c.out) as Report;
  const adapter = r.adapters[0]!;
  assert.equal(adapter.index, 0);
  assert.ok(adapter.maxBufferSize >= 2 ** 28 && adapter.maxStorageBufferBindingSize >= 2 ** 27);
  const webgpu = r.backends.find((b) => b.name === 'webgpu')!;
  assert.ok(webgpu.loads);
  assert.equal(webgpu.auto, !adapter.isFallback);
  if (adapter.isFallback) assert.match(webgpu.why, /only fallback \(software\) adapters: '.*'; used only with SONIC_BACKEND=webgpu/);
  const text = io();
  assert.equal(await main([], text), 0);
  assert.match(text.out, new RegExp(`GPU adapters \\(Dawn; index = GPU id for --gpus / resources\\.gpu\\):\\n  0: '${adapter.name.replace(/[()]/g, '\\$&')}' \\(`));
  assert.match(text.out, /maxBufferSize \d+\.\d\d GiB, maxStorageBufferBindingSize \d+\.\d\d GiB/);
  assert.match(text.out, /auto picks: /);
});

test('doctor rejects unknown options with its usage', async () => {
  const c = io();
  assert.equal(await main(['--gpu'], c), 2);
  assert.match(c.err, /usage: sonic doctor \[--json\]/);
});
