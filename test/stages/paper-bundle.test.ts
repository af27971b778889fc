// paper-bundle: the registry decides where each role's files are; the bundle names them in place, loads
// through loadEncoders and the backbone, and refuses files the stage was not given as inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/temp-dir.js';
import { paperBundleStage } from '../../src/stages/paper/paper-bundle.js';
import { isEncodersOnly, readBundle } from '../../src/encoders/bundle.js';
import { loadEncoders } from '../../src/encoders/load-encoders.js';
import { backboneDdim, backboneNoiseSchedule, decodeLatents, encodeImages, loadBackbone } from '../../src/stages/common/diffusion-models.js';
import { generateImages } from '../../src/stages/method/generate-impl.js';
import { NoiseSchedule } from '../../src/sonic/schedulers/noise-schedule.js';
import { SD_SCHEDULER_CONFIG } from '../../src/sonic/schedulers/scheduler-config.js';
import { selectBackend } from '../../src/compute/backend.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map((f) => join(dir, String(f))).filter((f) => statSync(f).isFile());
}

/** A repository-like root holding the fixture registry and model set. */
function fixtureRoot(): string {
  const root = tempDir('paper-bundle-');
  mkdirSync(join(root, 'experiments'));
  cpSync(join(REPO, 'experiments', 'models.fixture.yaml'), join(root, 'experiments', 'models.fixture.yaml'));
  cpSync(join(REPO, 'test', 'fixtures', 'paper-models'), join(root, 'test', 'fixtures', 'paper-models'), { recursive: true });
  return root;
}

function ctxFor(root: string, models: string[], params: unknown = {}, extra: { encoders?: string; out?: string } = {}) {
  const inputs: Record<string, string | string[]> = { registry: join(root, 'experiments', 'models.fixture.yaml'), models };
  if (extra.encoders) inputs.encoders = extra.encoders;
  return {
    stageId: 'bundle', params: paperBundleStage.params.parse(params), inputs,
    outputs: { bundle: join(root, 'out', extra.out ?? 'bundle') }, workDir: join(root, 'work'), gpus: [], signal: new AbortController().signal,
    logs: [] as string[], log(m: string) { this.logs.push(m); }, progress() {}, metric() {},
  };
}

test('paper-bundle binds every role from the registry; the bundle loads its encoders and its ONNX-VAE backbone', async () => {
  const root = fixtureRoot();
  const env = process.env.SONIC_MODELS_DIR;
  delete process.env.SONIC_MODELS_DIR;
  try {
    const models = filesUnder(join(root, 'test', 'fixtures', 'paper-models'));
    const ctx = ctxFor(root, models, { image: { size: 32, latentScale: 0.18215 } });
    await paperBundleStage.run(ctx);
    const b = readBundle(ctx.outputs.bundle);
    assert.equal(b.world, 'paper');
    assert.equal(b.audioEncoder.impl, 'onnx-ms-clap-2022');
    assert.deepEqual(b.audioEncoder.options.expectDims, { D: 12 });
    assert.equal(b.unet?.impl, 'diffusers-unet');
    assert.equal(b.unet?.path, join(root, 'test', 'fixtures', 'paper-models', 'upstream', 'stable-diffusion-v1-4', 'unet'));
    assert.equal(b.vae?.impl, 'onnx-sd-vae');

    const enc = await loadEncoders(b);
    try {
      assert.equal(enc.audioEncoder.dim, 12);
      assert.equal(enc.textEncoder.width, 32);
      assert.equal(enc.imageEncoder.dim, enc.aisImageEncoder.dim);
      assert.equal(enc.audioToImage.dim, enc.aisImageEncoder.dim);
      const [tokens] = await enc.textEncoder.encodeTokens(['fire crackling']);
      assert.equal(tokens!.length, 77 * 32);
    } finally {
      enc.dispose();
    }

    await selectBackend({});
    const backbone = await loadBackbone(b);
    try {
      assert.deepEqual(backbone.latentShape, [4, 4, 4]);
      assert.equal(backbone.unet.config.crossAttentionDim, 32);
      const img = { width: 32, height: 32, data: new Float32Array(32 * 32 * 3).map((_, i) => (i % 7) / 7) };
      const z = await encodeImages(backbone, [img, img]);
      assert.deepEqual(z.shape, [2, 4, 4, 4]);
      const back = await decodeLatents(backbone, z);
      z.dispose();
      assert.equal(back.length, 2);
      assert.deepEqual([back[0]!.width, back[0]!.height], [32, 32]);
    } finally {
      backbone.dispose();
    }
  } finally {
    if (env !== undefined) process.env.SONIC_MODELS_DIR = env;
    rmSync(root, { recursive: true, force: true });
  }
});

test('paper-bundle with `only: encoders` needs no SD files among its models; the bundle loads its encoders and refuses the backbone clearly; a full bundle builds on it', async () => {
  const root = fixtureRoot();
  const env = process.env.SONIC_MODELS_DIR;
  delete process.env.SONIC_MODELS_DIR;
  try {
    const models = filesUnder(join(root, 'test', 'fixtures', 'paper-models')).filter((f) => !/sd-v1-4-vae|stable-diffusion-v1-4/.test(f));
    await assert.rejects(paperBundleStage.run(ctxFor(root, models)), /role vae: .* not among the stage's `models` inputs/);
    const ctx = ctxFor(root, models, { only: 'encoders' });
    await paperBundleStage.run(ctx);
    const b = readBundle(ctx.outputs.bundle);
    assert.equal(isEncodersOnly(b), true);
    assert.deepEqual([b.vae, b.unet, b.image], [undefined, undefined, undefined]);
    assert.equal(b.fidFeatures.impl, 'onnx-inception-v3');
    const enc = await loadEncoders(b);
    try {
      assert.equal(enc.audioEncoder.dim, 12);
    } finally {
      enc.dispose();
    }
    await assert.rejects(loadBackbone(b), /bundle\.json: the diffusion backbone needs the vae, unet and image of a full foundation bundle, but this is an encoders-only bundle/);
    assert.equal(paperBundleStage.params.safeParse({ only: 'encoders', roles: { vae: { model: 'sd-v1-4-vae' } } }).success, false);

    // The full bundle from the encoders one: its `models` list only the SD files; the encoder roles are copied.
    const sdFiles = filesUnder(join(root, 'test', 'fixtures', 'paper-models')).filter((f) => !models.includes(f));
    const full = ctxFor(root, sdFiles, { image: { size: 32, latentScale: 0.18215 } }, { encoders: ctx.outputs.bundle, out: 'full' });
    await paperBundleStage.run(full);
    const fb = readBundle(full.outputs.bundle);
    assert.equal(isEncodersOnly(fb), false);
    for (const r of ['audioEncoder', 'captioner', 'fidFeatures'] as const) assert.deepEqual(fb[r], b[r]);
    assert.equal(fb.vae?.impl, 'onnx-sd-vae');
    await selectBackend({});
    const backbone = await loadBackbone(fb);
    backbone.dispose();
    await assert.rejects(paperBundleStage.run(ctxFor(root, sdFiles, { roles: { captioner: { model: 'captioner-vit-gpt2' } } }, { encoders: ctx.outputs.bundle, out: 'x' })), /roles\.captioner given, but the encoder roles come from the `encoders` input/);
    await assert.rejects(paperBundleStage.run(ctxFor(root, sdFiles, { world: 'other' }, { encoders: ctx.outputs.bundle, out: 'x' })), /is for world 'paper', this bundle for 'other'/);
  } finally {
    if (env !== undefined) process.env.SONIC_MODELS_DIR = env;
    rmSync(root, { recursive: true, force: true });
  }
});

test('paper-bundle refuses model files that are not among its inputs, and names missing ones with their place', async () => {
  const root = fixtureRoot();
  const env = process.env.SONIC_MODELS_DIR;
  delete process.env.SONIC_MODELS_DIR;
  try {
    const models = filesUnder(join(root, 'test', 'fixtures', 'paper-models')).filter((f) => !f.endsWith('wav2clip.onnx'));
    await assert.rejects(paperBundleStage.run(ctxFor(root, models)), /role audioToImage: wav2clip\/wav2clip\.onnx resolves to .* not among the stage's `models` inputs[\s\S]*docs\/reproduce-paper\.md/);
    const decoder = join(root, 'test', 'fixtures', 'paper-models', 'captioner-vit-gpt2', 'decoder.onnx');
    rmSync(decoder);
    await assert.rejects(paperBundleStage.run(ctxFor(root, models.filter((f) => f !== decoder))), /role captioner: model 'captioner-vit-gpt2': file 'decoder\.onnx' is missing[\s\S]*Place it at: .*captioner-vit-gpt2\/decoder\.onnx[\s\S]*make_paper_fixture_models\.py/);
  } finally {
    if (env !== undefined) process.env.SONIC_MODELS_DIR = env;
    rmSync(root, { recursive: true, force: true });
  }
});

test("the bundle's scheduler role is SD 1.4's scheduler_config.json; generate samples and stage 2 adds noise with what it says; unsupported values are refused by name", async () => {
  const root = fixtureRoot();
  const env = process.env.SONIC_MODELS_DIR;
  delete process.env.SONIC_MODELS_DIR;
  try {
    const ctx = ctxFor(root, filesUnder(join(root, 'test', 'fixtures', 'paper-models')), { image: { size: 32, latentScale: 0.18215 } });
    await paperBundleStage.run(ctx);
    const b = readBundle(ctx.outputs.bundle);
    const schedulerDir = join(root, 'test', 'fixtures', 'paper-models', 'upstream', 'stable-diffusion-v1-4', 'scheduler');
    assert.deepEqual(b.scheduler, { impl: 'diffusers-scheduler', path: schedulerDir, options: {} });
    const configFile = join(schedulerDir, 'scheduler_config.json');
    const published = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    await selectBackend({ requested: 'wasm' });
    const e = { nullText: new Float32Array(77 * 32), textTokens: 77, textWidth: 32 };
    const texts = [new Float32Array(77 * 32).map((_, i) => Math.sin(i))];
    const generateWith = async (config: Record<string, unknown>) => {
      writeFileSync(configFile, JSON.stringify(config));
      const backbone = await loadBackbone(b);
      try {
        const images = await generateImages(backbone, e, { texts }, { steps: 2, guidance: 3, seed: 1, chunk: 1 });
        return { scheduler: backbone.scheduler, alphas: backboneNoiseSchedule(backbone).alphasCumprod, ddim: backboneDdim(backbone), pixels: images[0]!.data };
      } finally {
        backbone.dispose();
      }
    };
    const sd = await generateWith(published);
    assert.deepEqual(sd.scheduler, SD_SCHEDULER_CONFIG);
    assert.deepEqual(sd.ddim.setTimesteps(2), [501, 1]);

    const other = await generateWith({ ...published, beta_end: 0.02, steps_offset: 0, set_alpha_to_one: true });
    assert.deepEqual(other.scheduler, { ...SD_SCHEDULER_CONFIG, betaEnd: 0.02, stepsOffset: 0, setAlphaToOne: true });
    assert.deepEqual(other.alphas, new NoiseSchedule({ trainSteps: 1000, betaStart: 0.00085, betaEnd: 0.02 }).alphasCumprod, "stage 2's noise schedule has the config's betas");
    assert.deepEqual(other.ddim.setTimesteps(2), [500, 0]);
    assert.equal(other.ddim.finalAlphaBar, 1);
    const changed = sd.pixels.reduce((m, v, i) => Math.max(m, Math.abs(v - other.pixels[i]!)), 0);
    assert.ok(changed > 1e-3, `the generated image follows the scheduler config (max pixel change ${changed})`);

    for (const [field, value, supported] of [['prediction_type', 'v_prediction', '"epsilon"'], ['beta_schedule', 'squaredcos_cap_v2', '"scaled_linear"']] as const) {
      writeFileSync(configFile, JSON.stringify({ ...published, [field]: value }));
      await assert.rejects(loadBackbone(b), (err: Error) => err.message.startsWith(`${configFile}: field '${field}' is "${value}"; supported: ${supported}`));
    }
  } finally {
    if (env !== undefined) process.env.SONIC_MODELS_DIR = env;
    rmSync(root, { recursive: true, force: true });
  }
});
