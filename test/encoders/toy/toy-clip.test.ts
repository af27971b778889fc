import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { SafetensorsFile } from '../../../src/compute/safetensors.js';
import { isOperationAborted } from '../../../src/compute/yield-point.js';
import { evaluateToyClip, ToyClip, toyClipImageEncoder, toyClipImageFeatures, toyClipTextEncoder, trainToyClip } from '../../../src/encoders/toy/toy-clip.js';
import { loadImages } from '../../../src/encoders/toy/toy-media.js';
import { QUICK_CLIP, assertSameParams, norm, paramValues, tinyWorld, useWasm, type TinyWorld } from './toy-world.js';

let world: TinyWorld;
let model: ToyClip;

before(async () => {
  await useWasm();
  world = await tinyWorld();
  model = await trainToyClip(world.rows, QUICK_CLIP);
});
after(() => {
  model?.dispose();
  world?.cleanup();
});

test('toy-CLIP provides the TextEncoder, ImageEncoder and FeatureExtractor roles with the configured shapes', async () => {
  const text = toyClipTextEncoder(model);
  assert.equal(text.name, 'toy-clip-text');
  assert.equal(text.maxTokens, 12);
  assert.equal(text.width, 16);
  const tokens = await text.encodeTokens(['a gentle thunder storm', 'wood']);
  assert.equal(tokens.length, 2);
  assert.equal(tokens[0]!.length, 12 * 16);
  const pooled = await text.embedText(['thunder', 'wood', 'a word never seen']);
  assert.equal(pooled.length, 3);
  for (const p of pooled) {
    assert.equal(p.length, 16);
    assert.ok(Math.abs(norm(p) - 1) < 1e-4);
  }
  const images = loadImages(world.rows.slice(0, 3));
  const image = toyClipImageEncoder(model);
  assert.equal(image.name, 'toy-clip-image');
  assert.equal(image.dim, 16);
  const emb = await image.embedImages(images);
  assert.deepEqual(emb.map((e) => e.length), [16, 16, 16]);
  assert.ok(Math.abs(norm(emb[0]!) - 1) < 1e-4);
  const fid = toyClipImageFeatures(model);
  assert.equal(fid.name, 'toy-clip-image-features');
  assert.equal(fid.dim, 16);
  const feats = await fid.features(images);
  assert.deepEqual(feats.map((f) => f.length), [16, 16, 16]);
  // Batching must not change results: one image alone equals the same image within a batch.
  const single = await image.embedImages(images.slice(1, 2));
  assert.ok(single[0]!.every((v, i) => Math.abs(v - emb[1]![i]!) < 1e-5));
  await assert.rejects(image.embedImages([{ width: 8, height: 8, data: new Float32Array(192) }]), /expected 32×32 images, got 8×8/);
  await assert.rejects(image.embedImages([{ width: 32, height: 32, data: new Uint8Array(3072) as never }]), /must hold Float32 values/);
});

test('toy-CLIP text states are causal, as in CLIP: a token never sees the tokens after it', async () => {
  const [short, long] = await model.encodeTokens(['wind', 'wind noise over the hills']);
  const width = 16;
  // BOS and 'wind' (positions 0 and 1) are identical; position 2 is EOS in one text and 'noise' in the other.
  for (let i = 0; i < 2 * width; i++) assert.ok(Math.abs(short![i]! - long![i]!) < 1e-5, `state ${i} differs`);
  assert.ok(short!.slice(2 * width, 3 * width).some((v, i) => Math.abs(v - long![2 * width + i]!) > 1e-4));
});

test('toy-CLIP save/load round trip gives identical embeddings and named weights', async () => {
  const dir = join(world.dir, 'clip');
  await model.save(dir);
  const loaded = await ToyClip.load(dir);
  try {
    const texts = ['a gentle thunder storm', 'metal'];
    assert.deepEqual(await loaded.encodeTokens(texts), await model.encodeTokens(texts));
    assert.deepEqual(await loaded.embedText(texts), await model.embedText(texts));
    const images = loadImages(world.rows.slice(0, 2));
    assert.deepEqual(await loaded.embedImages(images), await model.embedImages(images));
    assert.deepEqual(await loaded.imageFeatures(images), await model.imageFeatures(images));
  } finally {
    loaded.dispose();
  }
  const file = new SafetensorsFile(join(dir, 'weights.safetensors'));
  const keys = file.keys();
  // Checkpoints are in PyTorch layout: conv [out, in, kh, kw], linear [out, in].
  assert.deepEqual(file.tensors.get('visual.conv.0.weight')!.shape, [8, 3, 3, 3]);
  assert.deepEqual(file.tensors.get('text.projection.weight')!.shape, [16, 16]);
  assert.deepEqual(file.tensors.get('text.blocks.0.mlp.fc.weight')!.shape, [4 * 16, 16]);
  file.close();
  for (const k of ['visual.conv.0.weight', 'text.token_embedding', 'text.blocks.0.attn.qkv.weight', 'text.ln_final.weight', 'text.projection.weight', 'logit_scale']) {
    assert.ok(keys.includes(k), `weights lack '${k}'`);
  }
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  assert.equal(config.kind, 'sonictoy-toy-clip');
  await assert.rejects(ToyClip.load(join(world.dir, 'nowhere')), /config\.json: cannot read the sonictoy-toy-clip model config/);
});

test('toy-CLIP training is deterministic in its seed and leaks no tensors', async () => {
  const tensorsBefore = tf.memory().numTensors;
  const again = await trainToyClip(world.rows, QUICK_CLIP);
  assert.equal(tf.memory().numTensors - tensorsBefore, again.params.names().length, 'training left tensors behind beyond the parameters');
  const images = loadImages(world.rows.slice(0, 2));
  const beforeEmbed = tf.memory().numTensors;
  await again.embedImages(images);
  await again.imageFeatures(images);
  await again.embedText(['wood']);
  await again.encodeTokens(['wood']);
  assert.equal(tf.memory().numTensors, beforeEmbed, 'embedding left tensors behind');
  const other = await trainToyClip(world.rows, { ...QUICK_CLIP, seed: 1 });
  try {
    const a = paramValues(model.params);
    const b = paramValues(again.params);
    const c = paramValues(other.params);
    assertSameParams(a, b, (name) => `parameter ${name} differs between identical runs`);
    assert.notDeepEqual(c.get('visual.conv.0.weight')!, a.get('visual.conv.0.weight')!);
  } finally {
    again.dispose();
    other.dispose();
  }
});

test('toy-CLIP training stops at the next step once its signal is aborted, leaving no tensors behind', async () => {
  const tensorsBefore = tf.memory().numTensors;
  const controller = new AbortController();
  const stepsSeen: number[] = [];
  await assert.rejects(
    trainToyClip(world.rows, { ...QUICK_CLIP, steps: 40 }, (p) => {
      stepsSeen.push(p.step);
      controller.abort(new Error('interrupted'));
    }, controller.signal),
    (e: unknown) => isOperationAborted(e),
  );
  assert.equal(stepsSeen.length, 1, `training went on after the abort: progress at steps ${stepsSeen.join(', ')}`);
  assert.equal(tf.memory().numTensors, tensorsBefore, 'an aborted training left tensors behind');
});

test('toy-CLIP reports retrieval and zero-shot numbers and rejects unknown options', async () => {
  const report = await evaluateToyClip(model, world.rows);
  assert.ok(report.valImageToTextTop1 >= 0 && report.valImageToTextTop1 <= 1);
  assert.ok(report.valCaptionCandidates > 1);
  assert.deepEqual(Object.keys(report.zeroShotAccuracy).sort(), ['hits', 'landscape', 'voices']);
  assert.equal(report.zeroShotChance.landscape, 0.1111);
  assert.ok(report.temperature > 0);
  await assert.rejects(trainToyClip(world.rows, { stepz: 3 } as never), /unknown option 'stepz'/);
  await assert.rejects(trainToyClip(world.rows, { batchSize: 0 }), /option 'batchSize' must be a positive integer, got 0/);
  await assert.rejects(trainToyClip(world.rows, { labelTextFraction: 2 }), /'labelTextFraction' must be a number in \[0, 1\]/);
  await assert.rejects(trainToyClip(world.rows.filter((r) => r.split !== 'train'), QUICK_CLIP), /needs at least 2 rows in the training split/);
});
