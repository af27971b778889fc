// toy-SD on a tiny SonicToy world: shapes, latent scale, determinism, learning, text dropout, save/load,
// sampling and the quality-evidence helpers. Every model here is the 'quick' profile or smaller.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/temp-dir.js';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '../../../src/compute/tfjs.js';
import { SafetensorsFile } from '../../../src/compute/safetensors.js';
import { isOperationAborted } from '../../../src/compute/yield-point.js';
import { generateSonicToy, readManifest, type ResolvedManifestRow } from '../../../src/data/sonictoy/index.js';
import { readPng } from '../../../src/data/media/png.js';
import { NoiseSchedule } from '../../../src/sonic/schedulers/noise-schedule.js';
import { groupedAdamW, lossAndGrads } from '../../../src/sonic/training/optimizer.js';
import { isAdapterParam } from '../../../src/sonic/unet/unet2d-condition.js';
import { mulberry32 } from '../../../src/sonic/schedulers/seeded-random.js';
import {
  ColourCentroidClassifier,
  FixedWordTextEncoder,
  TOY_SD_PROFILES,
  ToyUnetData,
  classKey,
  classPrompts,
  encodeMeans,
  encodeTextTokens,
  loadImageBatch,
  loadToySd,
  readToyVaeDir,
  sampleToySd,
  saveToySd,
  toySdSampleGrid,
  toyUnetLoss,
  toyVaeQuality,
  trainToySd,
  trainToyUnet,
  trainToyVae,
  writeToyVaeDir,
  type ToySd,
} from '../../../src/encoders/toy/toy-sd/index.js';

const encoder = new FixedWordTextEncoder(16, 64);
const quick = TOY_SD_PROFILES.quick;
let dir: string;
let rows: ResolvedManifestRow[];
let model: ToySd;

before(async () => {
  assert.ok(await tf.setBackend('wasm'));
  await tf.ready();
  dir = tempDir('toy-sd-test-');
  const world = await generateSonicToy({ outDir: join(dir, 'world'), perClass: { train: 4, val: 1, test: 1 }, clipSeconds: 0.2 });
  rows = readManifest(world.manifestPath);
  model = (await trainToySd(rows, encoder, { profile: 'quick', seed: 3 })).model;
});

function values(t: tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
}

test('the VAE maps 32×32 images to 8×8×4 latents and the latent scale is 1/std of the training latents', () => {
  const train = rows.filter((r) => r.split === 'train');
  const images = loadImageBatch(train.map((r) => r.imagePath), 32);
  const means = encodeMeans(model.vae, images);
  assert.deepEqual(means.shape, [train.length, 8, 8, 4]);
  const std = Math.sqrt(tf.moments(means).variance.dataSync()[0]!);
  assert.ok(Math.abs(model.latentScale * std - 1) < 1e-4, `latentScale ${model.latentScale} vs 1/std ${1 / std}`);
  assert.equal(model.vae.config.scalingFactor, model.latentScale);
  const decoded = model.vae.decode(means);
  assert.deepEqual(decoded.shape, [train.length, 32, 32, 3]);
  tf.dispose([images, means, decoded]);
});

test('the UNet conditions on the text width, configures the audio adapters and keeps their gates at 0', () => {
  const c = model.unet.config;
  assert.equal(c.crossAttentionDim, 64);
  assert.equal(c.audioCrossAttentionDim, 64);
  assert.deepEqual(c.useAdapter, [false, true, true]);
  assert.equal(c.sampleSize, 8);
  const gates = model.unetParams.names((n) => n.endsWith('gate_adapter'));
  assert.ok(gates.length > 0);
  for (const g of gates) assert.equal(values(model.unetParams.get(g))[0], 0, g);
  const out = tf.tidy(() => model.unet.predict({ sample: tf.zeros([2, 8, 8, 4]) as tf.Tensor4D, timestep: 500, textTokens: tf.zeros([2, 16, 64]) as tf.Tensor3D }));
  assert.deepEqual(out.shape, [2, 8, 8, 4]);
  out.dispose();
});

test('audioCrossAttentionDim is a parameter (the projector width); a crossAttentionDim unlike the text width is a clear error', async () => {
  const opts = { ...quick.unet, steps: 1, unet: { ...quick.unet.unet, audioCrossAttentionDim: 24 } };
  const trained = await trainToyUnet(rows, model.vae, encoder, opts);
  assert.equal(trained.unet.config.audioCrossAttentionDim, 24);
  const toK = trained.params.names((n) => n.includes('attn_adapter.to_k.weight'));
  assert.ok(toK.length > 0);
  for (const n of toK) assert.equal(trained.params.get(n).shape[0], 24, n);
  trained.params.dispose();
  await assert.rejects(trainToyUnet(rows, model.vae, encoder, { ...opts, unet: { crossAttentionDim: 32 } }), /crossAttentionDim 32 differs from the text encoder's width 64/);
});

test('training is deterministic given a seed', async () => {
  const a = await trainToyVae(rows, { ...quick.vae, steps: 3, seed: 7 });
  const b = await trainToyVae(rows, { ...quick.vae, steps: 3, seed: 7 });
  const name = 'decoder.conv_out.weight';
  assert.deepEqual(values(a.params.get(name)), values(b.params.get(name)));
  assert.equal(a.latentScale, b.latentScale);
  const ua = await trainToyUnet(rows, a.vae, encoder, { ...quick.unet, steps: 3, seed: 7 });
  const ub = await trainToyUnet(rows, b.vae, encoder, { ...quick.unet, steps: 3, seed: 7 });
  assert.deepEqual(ua.report.lossCurve, ub.report.lossCurve);
  assert.deepEqual(values(ua.params.get('conv_out.weight')), values(ub.params.get('conv_out.weight')));
  const c = await trainToyVae(rows, { ...quick.vae, steps: 3, seed: 8 });
  assert.notDeepEqual(values(c.params.get(name)), values(a.params.get(name)));
  for (const s of [a.params, b.params, c.params, ua.params, ub.params]) s.dispose();
});

test('the VAE reconstruction loss falls over a few steps', async () => {
  const losses: number[] = [];
  const r = await trainToyVae(rows, { ...quick.vae, steps: 30, batch: 16 }, (p) => losses.push(p.loss));
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.equal(losses.length, 30);
  assert.ok(mean(losses.slice(-5)) < 0.8 * mean(losses.slice(0, 5)), `losses ${losses.map((l) => l.toFixed(3)).join(' ')}`);
  assert.ok(r.report.valPsnrDb !== null && Number.isFinite(r.report.valPsnrDb));
  r.params.dispose();
});

test('an aborted signal stops VAE and UNet training at the next step, leaving no tensors behind', async () => {
  for (const phase of ['vae', 'unet'] as const) {
    const tensorsBefore = tf.memory().numTensors;
    const controller = new AbortController();
    const seen: number[] = [];
    const stop = (p: { step: number }) => {
      seen.push(p.step);
      if (p.step === 2) controller.abort(new Error('interrupted'));
    };
    const training =
      phase === 'vae'
        ? trainToyVae(rows, { ...quick.vae, steps: 20 }, stop, controller.signal)
        : trainToyUnet(rows, model.vae, encoder, { ...quick.unet, steps: 20 }, stop, controller.signal);
    await assert.rejects(training, (e: unknown) => isOperationAborted(e));
    assert.deepEqual(seen, [1, 2], `${phase}: training went on after the abort`);
    assert.equal(tf.memory().numTensors, tensorsBefore, `${phase}: an aborted training left tensors behind`);
  }
});

test('UNet steps lower the ε-loss of a fixed batch, with every non-adapter parameter trained on wasm', async () => {
  const trained = await trainToyUnet(rows, model.vae, encoder, { ...quick.unet, steps: 1 });
  const data = await ToyUnetData.prepare(rows.filter((r) => r.split === 'train'), model.vae, encoder, 32);
  const batch = data.batch([0, 1, 2, 3, 4, 5, 6, 7], 0, mulberry32(1));
  const schedule = new NoiseSchedule();
  const loss = () => toyUnetLoss(trained.unet, schedule, batch.latents, batch.text, 11, mulberry32(5));
  const variables = trained.params.variables((_, e) => e.trainable);
  assert.equal(variables.length, trained.params.names((n) => !isAdapterParam(n)).length);
  const before = tf.tidy(() => loss().dataSync()[0]!);
  const opt = groupedAdamW([{ name: 'unet', variables, lr: 3e-3 }]);
  for (let i = 0; i < 6; i++) {
    const { loss: l, grads } = lossAndGrads(loss, variables);
    assert.equal(grads.size, variables.length, 'every trainable parameter gets a gradient');
    opt.step(grads);
    tf.dispose([l, ...grads.values()]);
  }
  const afterLoss = tf.tidy(() => loss().dataSync()[0]!);
  assert.ok(afterLoss < before, `ε-loss ${before} -> ${afterLoss}`);
  assert.equal(tf.getBackend(), 'wasm');
  tf.dispose([batch.latents, batch.text]);
  data.dispose();
  opt.dispose();
  trained.params.dispose();
});

test('text dropout replaces captions by the null text "" tokens', async () => {
  const train = rows.filter((r) => r.split === 'train');
  const data = await ToyUnetData.prepare(train, model.vae, encoder, 32);
  const nullTokens = await encodeTextTokens(encoder, ['']);
  const caption = await encodeTextTokens(encoder, [train[2]!.caption]);
  const all = data.batch([2, 2, 2], 1, mulberry32(0));
  assert.deepEqual(all.dropped, [true, true, true]);
  for (let i = 0; i < 3; i++) assert.deepEqual(values(tf.slice(all.text, [i, 0, 0], [1, -1, -1])), values(nullTokens));
  const none = data.batch([2], 0, mulberry32(0));
  assert.deepEqual(none.dropped, [false]);
  assert.deepEqual(values(none.text), values(caption));
  assert.notDeepEqual(values(caption), values(nullTokens));
  tf.dispose([all.latents, all.text, none.latents, none.text, nullTokens, caption]);
  data.dispose();
  const half = await trainToyUnet(rows, model.vae, encoder, { ...quick.unet, steps: 4, textDropout: 0.5 });
  assert.ok(half.report.droppedTextFraction > 0 && half.report.droppedTextFraction < 1, `dropped ${half.report.droppedTextFraction}`);
  half.params.dispose();
  const never = await trainToyUnet(rows, model.vae, encoder, { ...quick.unet, steps: 2, textDropout: 0 });
  assert.equal(never.report.droppedTextFraction, 0);
  never.params.dispose();
});

test('save/load round trip: diffusers-keyed weights without adapters, identical samples', async () => {
  const out = join(dir, 'saved');
  saveToySd(out, model);
  const unetFile = new SafetensorsFile(join(out, 'unet', 'diffusion_pytorch_model.safetensors'));
  assert.ok(unetFile.keys().includes('conv_in.weight'));
  assert.ok(unetFile.keys().every((k) => !isAdapterParam(k)));
  unetFile.close();
  const loaded = loadToySd(out);
  assert.equal(loaded.latentScale, model.latentScale);
  assert.deepEqual(loaded.unet.config, model.unet.config);
  assert.deepEqual(loaded.vae.config, model.vae.config);
  assert.deepEqual(loaded.textEncoder, { name: encoder.name, maxTokens: 16, width: 64 });
  for (const g of loaded.unetParams.names((n) => n.endsWith('gate_adapter'))) assert.equal(values(loaded.unetParams.get(g))[0], 0);
  assert.ok(loaded.unetParams.entry('mid_block.attentions.0.transformer_blocks.0.gate_adapter').trainable, 'adapters trainable by default');
  assert.ok(!loaded.unetParams.entry('conv_in.weight').trainable);
  const text = await encodeTextTokens(encoder, ['a stick hitting glass', 'a fire glowing at night']);
  const nullTokens = await encodeTextTokens(encoder, ['']);
  const a = sampleToySd(model, text, nullTokens, { steps: 3, seed: 4 });
  const b = sampleToySd(loaded, text, nullTokens, { steps: 3, seed: 4 });
  const b1 = sampleToySd(loaded, text, nullTokens, { steps: 3, seed: 4, chunk: 1 });
  const maxDiff = Math.max(...b.map((img, k) => Math.max(...img.data.map((v, j) => Math.abs(v - b1[k]!.data[j]!)))));
  assert.ok(maxDiff < 1e-4, `chunking changed the samples by ${maxDiff}`);
  assert.equal(a.length, 2);
  assert.equal(a[0]!.width, 32);
  assert.deepEqual(a.map((i) => [...i.data]), b.map((i) => [...i.data]));
  const c = sampleToySd(model, text, nullTokens, { steps: 3, seed: 5 });
  assert.notDeepEqual(a.map((i) => [...i.data]), c.map((i) => [...i.data]));
  tf.dispose([text, nullTokens]);
  loaded.unetParams.dispose();
  loaded.vaeParams.dispose();
  assert.throws(() => loadToySd(join(dir, 'nowhere')), /toy_sd\.json: cannot read the toy-SD description.*saved toy-SD directory/);
});

test('quality evidence: class prompts, the colour-centroid classifier beats chance on real images, the grid PNG', async () => {
  const train = rows.filter((r) => r.split === 'train');
  const prompts = classPrompts(train);
  assert.equal(prompts.length, 23);
  for (const p of prompts) assert.ok(train.some((r) => classKey(r) === p.key && r.caption === p.prompt));
  const real = (rs: ResolvedManifestRow[]) => rs.map((r) => ({ key: classKey(r), image: readPng(r.imagePath) }));
  const classifier = ColourCentroidClassifier.fit(real(train));
  const heldOut = real(rows.filter((r) => r.split !== 'train'));
  assert.ok(classifier.accuracy(heldOut) > 0.5, `real held-out accuracy ${classifier.accuracy(heldOut)}`);
  const path = join(dir, 'grid', 'sheet.png');
  const grid = await toySdSampleGrid(model, encoder, rows, path, { perClass: 1, steps: 2, prompts: prompts.slice(0, 3) });
  assert.ok(existsSync(path));
  const png = readPng(path);
  assert.equal(png.height, 3 * 64 + 4 * 2); // 3 rows of 2× 32-px tiles with 2-px gaps
  assert.equal(png.width, 3 * 64 + 4 * 2); // generated, blank, real
  assert.equal(grid.classes, 3);
  assert.ok(grid.generatedAccuracy >= 0 && grid.generatedAccuracy <= 1);
  assert.equal(grid.chance, 1 / 23);
  assert.ok(grid.realHeldOutAccuracy !== null && grid.realHeldOutAccuracy > 0.5);
  assert.ok(grid.reconstructedHeldOutAccuracy !== null && grid.reconstructedHeldOutAccuracy >= 0 && grid.reconstructedHeldOutAccuracy <= 1);
});

test('the VAE alone: diffusers directory round trip with the latent scale, and the reconstruction check', () => {
  const out = join(dir, 'vae-alone');
  writeToyVaeDir(out, model.vae, model.vaeParams, model.latentScale);
  const loaded = readToyVaeDir(out);
  assert.equal(loaded.latentScale, model.latentScale);
  assert.deepEqual(loaded.vae.config, { ...model.vae.config, scalingFactor: model.latentScale });
  const x = loadImageBatch(rows.slice(0, 2).map((r) => r.imagePath), 32);
  const [a, b] = [model.vae, loaded.vae].map((v) => values(tf.tidy(() => v.decode(v.encode(x)))));
  assert.deepEqual([...a!], [...b!]);
  x.dispose();
  const quality = toyVaeQuality(loaded.vae, rows, join(out, 'reconstructions.png'), { perClass: 1 });
  loaded.params.dispose();
  const sheet = readPng(quality.path);
  assert.equal(sheet.height, 23 * 64 + 24 * 2); // one row per class (1 val image each), 2× tiles, 2-px gaps
  assert.equal(sheet.width, 2 * 64 + 3 * 2); // real | reconstruction
  assert.equal(quality.heldOutImages, 23);
  assert.ok(quality.realAccuracy > 0.5, `real held-out accuracy ${quality.realAccuracy}`);
  assert.ok(quality.reconstructedAccuracy >= 0 && quality.reconstructedAccuracy <= 1);
  assert.throws(() => readToyVaeDir(join(dir, 'nowhere')), /nowhere\/config\.json: cannot read the VAE config \(ENOENT\); is this a saved toy-SD VAE directory\?/);
  assert.throws(() => toyVaeQuality(model.vae, rows, join(out, 'x.png'), { heldOutSplit: 'holdout' }), /no rows in the held-out split 'holdout'/);
});

test('a missing split is a clear error', async () => {
  await assert.rejects(trainToyVae(rows, { ...quick.vae, steps: 1, trainSplit: 'training' }), /no rows in split 'training' \(the manifest has splits: train, val, test\)/);
});
