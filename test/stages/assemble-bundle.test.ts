import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assembleBundleStage } from '../../src/stages/toy/assemble-bundle.js';
import { readBundle } from '../../src/encoders/bundle.js';

function ctxFor(dir: string, inputs: Record<string, string>, params: unknown) {
  const out = join(dir, 'out', 'bundle');
  return {
    stageId: 'bundle', params: assembleBundleStage.params.parse(params), inputs, outputs: { bundle: out }, workDir: join(dir, 'work'), gpus: [],
    signal: new AbortController().signal, logs: [] as string[], log(m: string) { this.logs.push(m); }, progress() {}, metric() {},
  };
}

test('assemble-bundle copies the toy model directories and writes a valid bundle.json', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
  try {
    const inputs: Record<string, string> = {};
    for (const n of ['clip', 'clap', 'wav2clip', 'captioner']) {
      inputs[n] = join(dir, n);
      mkdirSync(inputs[n]!);
      writeFileSync(join(inputs[n]!, 'config.json'), '{}');
    }
    inputs.sd = join(dir, 'sd');
    mkdirSync(join(inputs.sd, 'unet'), { recursive: true });
    mkdirSync(join(inputs.sd, 'vae'));
    const ctx = ctxFor(dir, inputs, {});
    await assembleBundleStage.run(ctx);
    const b = readBundle(ctx.outputs.bundle);
    assert.equal(b.world, 'sonictoy');
    assert.deepEqual([b.textEncoder.impl, b.textEncoder.path], ['toy-clip-text', 'clip']);
    assert.deepEqual([b.unet.impl, b.unet.path], ['toy-unet', 'sd/unet']);
    assert.deepEqual([b.fidFeatures.impl, b.fidFeatures.path], ['toy-clip-image-features', 'clip']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('assemble-bundle: a role reading an unconnected input, or a relative path without an input, is a clear error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
  try {
    await assert.rejects(assembleBundleStage.run(ctxFor(dir, {}, {})), /role 'audioEncoder' reads input 'clap', which is not connected/);
    const roles = { audioEncoder: { impl: 'x', path: 'relative/dir' } };
    await assert.rejects(assembleBundleStage.run(ctxFor(dir, {}, { roles })), /path 'relative\/dir' must be absolute/);
    await assert.rejects(assembleBundleStage.run(ctxFor(dir, {}, { roles: { audioEncoder: { model: 'ms-clap-2022' } } })), /`registry` input is not connected/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
