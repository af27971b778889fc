import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assembleBundleStage } from '../../src/stages/toy/assemble-bundle.js';
import { diffusionRoles, isEncodersOnly, readBundle } from '../../src/encoders/bundle.js';
import { loadBackbone } from '../../src/stages/common/diffusion-models.js';

function ctxFor(dir: string, inputs: Record<string, string>, params: unknown) {
  const out = join(dir, 'out', 'bundle');
  return {
    stageId: 'bundle', params: assembleBundleStage.params.parse(params), inputs, outputs: { bundle: out }, workDir: join(dir, 'work'), gpus: [],
    signal: new AbortController().signal, logs: [] as string[], log(m: string) { this.logs.push(m); }, progress() {}, metric() {},
  };
}

/** Stand-in model directories for the four toy encoder inputs (clip, clap, wav2clip, captioner). */
function encoderModelDirs(dir: string): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const n of ['clip', 'clap', 'wav2clip', 'captioner']) {
    inputs[n] = join(dir, n);
    mkdirSync(inputs[n]!);
    writeFileSync(join(inputs[n]!, 'config.json'), '{}');
  }
  return inputs;
}

test('assemble-bundle copies the toy model directories and writes a valid bundle.json', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
  try {
    const inputs = encoderModelDirs(dir);
    inputs.sd = join(dir, 'sd');
    mkdirSync(join(inputs.sd, 'unet'), { recursive: true });
    mkdirSync(join(inputs.sd, 'vae'));
    const ctx = ctxFor(dir, inputs, {});
    await assembleBundleStage.run(ctx);
    const b = readBundle(ctx.outputs.bundle);
    assert.equal(b.world, 'sonictoy');
    assert.deepEqual([b.textEncoder.impl, b.textEncoder.path], ['toy-clip-text', 'clip']);
    assert.deepEqual([b.unet?.impl, b.unet?.path], ['toy-unet', 'sd/unet']);
    assert.deepEqual(b.image, { size: 32, latentScale: 1 });
    assert.equal(isEncodersOnly(b), false);
    assert.deepEqual([b.fidFeatures.impl, b.fidFeatures.path], ['toy-clip-image-features', 'clip']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('assemble-bundle with `only: encoders` needs no sd input and writes an encoders-only bundle; the backbone refuses it clearly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
  try {
    const inputs = encoderModelDirs(dir);
    const ctx = ctxFor(dir, inputs, { only: 'encoders' });
    await assembleBundleStage.run(ctx);
    assert.deepEqual(readdirSync(ctx.outputs.bundle).sort(), ['bundle.json', 'captioner', 'clap', 'clip', 'wav2clip']);
    const raw = JSON.parse(readFileSync(join(ctx.outputs.bundle, 'bundle.json'), 'utf8'));
    assert.deepEqual(['vae', 'unet', 'image'].filter((k) => k in raw), []);
    const b = readBundle(ctx.outputs.bundle);
    assert.equal(isEncodersOnly(b), true);
    assert.deepEqual([b.audioEncoder.impl, b.audioEncoder.path], ['toy-clap-audio', 'clap']);
    assert.match(ctx.logs.join('\n'), /encoders-only bundle for world 'sonictoy'/);
    const clear = /bundle[/\\]bundle\.json: the diffusion backbone needs the vae, unet and image of a full foundation bundle, but this is an encoders-only bundle \(made with `only: encoders`[^)]*\); give this stage the world's full bundle \(`\$\{\{ stages\.bundle\.outputs\.bundle \}\}`\)/;
    assert.throws(() => diffusionRoles(b), clear);
    await assert.rejects(loadBackbone(b), clear);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('assemble-bundle: `only: encoders` with a vae or unet binding, or a bundle.json with only part of vae/unet/image, is a clear error', async () => {
  const parsed = assembleBundleStage.params.safeParse({ only: 'encoders', roles: { unet: { impl: 'toy-unet', from: 'sd' } } });
  assert.equal(parsed.success, false);
  assert.match(JSON.stringify(parsed.error?.issues), /`only: encoders` makes a bundle without unet; drop roles.unet/);
  assert.equal(assembleBundleStage.params.safeParse({ only: 'all' }).success, false);
  const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
  try {
    const ref = { impl: 'x', path: 'p' };
    const roles = Object.fromEntries(['audioEncoder', 'textEncoder', 'imageEncoder', 'aisImageEncoder', 'audioToImage', 'captioner', 'fidFeatures'].map((r) => [r, ref]));
    writeFileSync(join(dir, 'bundle.json'), JSON.stringify({ kind: 'sonicdiffusion-foundation-bundle', version: 1, world: 'w', ...roles, vae: ref }));
    assert.throws(() => readBundle(dir), /bundle\.json: not a valid foundation bundle: unet: vae given without unet, image: a full bundle has all of vae, unet and image, an encoders-only bundle none of them/);
    writeFileSync(join(dir, 'bundle.json'), JSON.stringify({ kind: 'sonicdiffusion-foundation-bundle', version: 1, world: 'w', ...roles, scheduler: ref }));
    assert.throws(() => readBundle(dir), /bundle\.json: not a valid foundation bundle: scheduler: a scheduler belongs with the diffusion backbone: give it only in a full bundle/);
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
