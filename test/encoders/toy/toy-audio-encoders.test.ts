import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { evaluateToyClap, ToyClap, toyClapAudioEncoder, trainToyClap } from '../../../src/encoders/toy/toy-clap.js';
import { evaluateToyWav2Clip, ToyWav2Clip, toyWav2ClipEncoder, trainToyWav2Clip } from '../../../src/encoders/toy/toy-wav2clip.js';
import { ToyClip, trainToyClip } from '../../../src/encoders/toy/toy-clip.js';
import { loadClips } from '../../../src/encoders/toy/toy-media.js';
import { resample } from '../../../src/data/media/index.js';
import { QUICK_CLAP, QUICK_CLIP, QUICK_WAV2CLIP, assertSameParams, norm, paramValues, tinyWorld, useWasm, type TinyWorld } from './toy-world.js';

let world: TinyWorld;
let clip: ToyClip;

before(async () => {
  await useWasm();
  world = await tinyWorld();
  clip = await trainToyClip(world.rows, QUICK_CLIP);
});
after(() => {
  clip?.dispose();
  world?.cleanup();
});

test('toy-CLAP: L2-normalised audio embeddings, save/load identity, determinism, report', async () => {
  const model = await trainToyClap(world.rows, QUICK_CLAP);
  const dir = join(world.dir, 'clap');
  try {
    const enc = toyClapAudioEncoder(model);
    assert.equal(enc.name, 'toy-clap-audio');
    assert.equal(enc.dim, 24);
    const clips = loadClips(world.rows.slice(0, 3));
    const emb = await enc.embedAudio(clips);
    assert.deepEqual(emb.map((e) => e.length), [24, 24, 24]);
    for (const e of emb) assert.ok(Math.abs(norm(e) - 1) < 1e-4);
    // A clip at another sample rate is resampled to the front end's 16 kHz, not rejected.
    const at8k = await enc.embedAudio([{ samples: resample(clips[0]!.samples, 16000, 8000), sampleRate: 8000 }]);
    assert.equal(at8k[0]!.length, 24);
    await model.save(dir);
    const loaded = await ToyClap.load(dir);
    try {
      assert.deepEqual(await loaded.embedAudio(clips), emb);
      assert.deepEqual(await loaded.embedText(['wood', 'thunder']), await model.embedText(['wood', 'thunder']));
    } finally {
      loaded.dispose();
    }
    const again = await trainToyClap(world.rows, QUICK_CLAP);
    try {
      const a = paramValues(model.params);
      const b = paramValues(again.params);
      assertSameParams(a, b, (name) => `parameter ${name} differs between identical runs`);
    } finally {
      again.dispose();
    }
    const report = await evaluateToyClap(model, world.rows);
    assert.deepEqual(Object.keys(report.zeroShotAccuracy).sort(), ['hits', 'landscape', 'voices']);
    assert.ok(report.valAudioToTextTop1 >= 0 && report.valAudioToTextTop1 <= 1);
  } finally {
    model.dispose();
  }
});

test('toy-Wav2CLIP maps audio into the frozen toy-CLIP image space', async () => {
  const before = paramValues(clip.params);
  const model = await trainToyWav2Clip(world.rows, clip, QUICK_WAV2CLIP);
  const dir = join(world.dir, 'wav2clip');
  try {
    const after = paramValues(clip.params);
    assertSameParams(before, after, (name) => `toy-CLIP parameter ${name} changed: it must stay frozen`);
    const enc = toyWav2ClipEncoder(model);
    assert.equal(enc.name, 'toy-wav2clip');
    assert.equal(enc.dim, clip.jointDim);
    const clips = loadClips(world.rows.slice(0, 2));
    const emb = await enc.embedAudio(clips);
    assert.deepEqual(emb.map((e) => e.length), [clip.jointDim, clip.jointDim]);
    await model.save(dir);
    const loaded = await ToyWav2Clip.load(dir);
    try {
      assert.deepEqual(await loaded.embedAudio(clips), emb);
    } finally {
      loaded.dispose();
    }
    const again = await trainToyWav2Clip(world.rows, clip, QUICK_WAV2CLIP);
    try {
      const a = paramValues(model.params);
      const b = paramValues(again.params);
      assertSameParams(a, b, (name) => `parameter ${name} differs between identical runs`);
    } finally {
      again.dispose();
    }
    const report = await evaluateToyWav2Clip(model, clip, world.rows);
    assert.equal(report.valImageCandidates, world.rows.filter((r) => r.split === 'val').length);
    assert.ok(report.valAudioToImageClassTop1 >= report.valAudioToImageTop1);
  } finally {
    model.dispose();
  }
});
