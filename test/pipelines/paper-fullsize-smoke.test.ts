// paper.yaml profile=fullsize-smoke on wasm: the SD-1.4-architecture backbone is refused by the capacity
// check when train-adapter builds it, with the model, its size, wasm's limit and what to use instead,
// before any weight is read (so the models dir here holds a header-only weights file; the full profile with
// real-size random weights is in docs/reproduce-paper.md#profilefullsize-smoke and bench/README.md).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ffmpegSkipReason } from '../data/ingest/ffmpeg-gate.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const MAKE_MODELS = fileURLToPath(new URL('../../bench/fullsize/make-fullsize-models.js', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

let ws = '';
after(() => {
  if (ws) rmSync(ws, { recursive: true, force: true });
});

function node(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

test('profile=fullsize-smoke on wasm stops at train_adapter with the capacity message', { timeout: 900_000 }, async (t) => {
  const skip = await ffmpegSkipReason();
  if (skip) {
    t.skip(skip);
    return;
  }
  ws = mkdtempSync(join(tmpdir(), 'sonic-fullsize-'));
  cpSync(join(REPO, 'pipelines'), join(ws, 'pipelines'), { recursive: true });
  cpSync(join(REPO, 'experiments'), join(ws, 'experiments'), { recursive: true });
  mkdirSync(join(ws, 'results'));
  cpSync(join(REPO, 'results', 'paper-reported.json'), join(ws, 'results', 'paper-reported.json'));
  writeFileSync(join(ws, 'package.json'), '{}\n');
  const env: NodeJS.ProcessEnv = { ...process.env, SONIC_BACKEND: 'wasm' };
  delete env.SONIC_MODELS_DIR;
  const made = await node([MAKE_MODELS, '--out', join(ws, '.cache', 'fullsize-smoke-models'), '--no-weights'], ws, env);
  assert.equal(made.code, 0, made.out);
  const unetConfig = JSON.parse(readFileSync(join(ws, '.cache/fullsize-smoke-models/upstream/stable-diffusion-v1-4/unet/config.json'), 'utf8')) as { block_out_channels: number[] };
  assert.deepEqual(unetConfig.block_out_channels, [320, 640, 1280, 1280]);

  const r = await node([MAIN, 'run', 'pipelines/paper.yaml', 'train_adapter', '--set', 'profile=fullsize-smoke', '--no-progress'], ws, env);
  assert.equal(r.code, 1, r.out);
  // The run summary names the failed stage and its error.
  assert.match(r.out, /failed train_adapter\[data=landscape,ablation=full,seed=0\]: the UNet in \S+unet \(an adapter training step at 8×8 latents, batch 1\) needs 857,865,614 parameters, 3\.20 GiB of fp32 weights, about 3\.\d\d GiB with activations: more than the wasm backend's usable WebAssembly heap/);
  assert.match(r.out, /webgpu backend finds a hardware adapter/);
  assert.doesNotMatch(r.out, /Aborted\(\)/);
});
