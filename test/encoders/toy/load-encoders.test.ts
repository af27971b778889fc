import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBundle } from '../../../src/encoders/bundle.js';
import { knownEncoderImpls, loadEncoders, registerEncoderLoader } from '../../../src/encoders/load-encoders.js';
import { buildRetrievalCaptioner, evaluateRetrievalCaptioner, RetrievalCaptioner } from '../../../src/encoders/toy/retrieval-captioner.js';
import { trainToyClap } from '../../../src/encoders/toy/toy-clap.js';
import { trainToyClip } from '../../../src/encoders/toy/toy-clip.js';
import { loadClips, loadImages } from '../../../src/encoders/toy/toy-media.js';
import { trainToyWav2Clip } from '../../../src/encoders/toy/toy-wav2clip.js';
import { QUICK_CLAP, QUICK_CLIP, QUICK_WAV2CLIP, tinyWorld, useWasm, type TinyWorld } from './toy-world.js';

let world: TinyWorld;
let bundleDir: string;

function writeBundle(dir: string, overrides: Record<string, unknown> = {}): void {
  const ref = (impl: string, path: string) => ({ impl, path });
  writeFileSync(
    join(dir, 'bundle.json'),
    JSON.stringify({
      kind: 'sonicdiffusion-foundation-bundle',
      version: 1,
      world: 'sonictoy',
      audioEncoder: ref('toy-clap-audio', 'clap'),
      textEncoder: ref('toy-clip-text', 'clip'),
      imageEncoder: ref('toy-clip-image', 'clip'),
      aisImageEncoder: ref('toy-clip-image', 'clip'),
      audioToImage: ref('toy-wav2clip', 'wav2clip'),
      captioner: ref('toy-retrieval-captioner', 'captioner'),
      fidFeatures: ref('toy-clip-image-features', 'clip'),
      vae: ref('toy-vae', 'vae'),
      unet: ref('toy-unet', 'unet'),
      image: { size: 32, latentScale: 1 },
      ...overrides,
    }),
  );
}

before(async () => {
  await useWasm();
  world = await tinyWorld();
  bundleDir = join(world.dir, 'bundle');
  const clip = await trainToyClip(world.rows, { ...QUICK_CLIP, steps: 1 });
  const clap = await trainToyClap(world.rows, { ...QUICK_CLAP, steps: 1 });
  const wav2clip = await trainToyWav2Clip(world.rows, clip, { ...QUICK_WAV2CLIP, steps: 1 });
  const captioner = await buildRetrievalCaptioner(world.rows, clip);
  await clip.save(join(bundleDir, 'clip'));
  await clap.save(join(bundleDir, 'clap'));
  await wav2clip.save(join(bundleDir, 'wav2clip'));
  await captioner.save(join(bundleDir, 'captioner'));
  captioner.dispose(); // also disposes clip
  clap.dispose();
  wav2clip.dispose();
  writeBundle(bundleDir);
});
after(() => world?.cleanup());

test('loadEncoders dispatches every role of a SonicToy bundle to its toy loader', async () => {
  const enc = await loadEncoders(readBundle(bundleDir));
  try {
    assert.equal(enc.audioEncoder.name, 'toy-clap-audio');
    assert.equal(enc.textEncoder.name, 'toy-clip-text');
    assert.equal(enc.imageEncoder.name, 'toy-clip-image');
    assert.equal(enc.aisImageEncoder.name, 'toy-clip-image');
    assert.equal(enc.audioToImage.name, 'toy-wav2clip');
    assert.equal(enc.captioner.name, 'toy-retrieval-captioner');
    assert.equal(enc.fidFeatures.name, 'toy-clip-image-features');
    const images = loadImages(world.rows.slice(0, 2));
    const clips = loadClips(world.rows.slice(0, 2));
    assert.equal((await enc.audioEncoder.embedAudio(clips))[0]!.length, enc.audioEncoder.dim);
    assert.equal((await enc.audioToImage.embedAudio(clips))[0]!.length, enc.imageEncoder.dim);
    assert.equal((await enc.textEncoder.encodeTokens(['wind']))[0]!.length, enc.textEncoder.maxTokens * enc.textEncoder.width);
    assert.equal((await enc.fidFeatures.features(images))[0]!.length, enc.fidFeatures.dim);
    const captions = await enc.captioner.caption(images);
    const trainCaptions = new Set(world.rows.filter((r) => r.split === 'train').map((r) => r.caption));
    for (const c of captions) assert.ok(trainCaptions.has(c), `caption '${c}' is not from the training bank`);
    // The image and text roles share one loaded toy-CLIP: same embedding space, same numbers.
    assert.deepEqual(await enc.imageEncoder.embedImages(images), await enc.aisImageEncoder.embedImages(images));
  } finally {
    enc.dispose();
  }
});

test('loadEncoders loads an encoders-only bundle (no vae, unet or image) the same way', async () => {
  writeBundle(bundleDir, { vae: undefined, unet: undefined, image: undefined });
  try {
    const b = readBundle(bundleDir);
    assert.equal(b.vae, undefined);
    const enc = await loadEncoders(b);
    try {
      assert.equal(enc.audioEncoder.name, 'toy-clap-audio');
      assert.equal(enc.fidFeatures.name, 'toy-clip-image-features');
      const clips = loadClips(world.rows.slice(0, 1));
      assert.equal((await enc.audioEncoder.embedAudio(clips))[0]!.length, enc.audioEncoder.dim);
    } finally {
      enc.dispose();
    }
  } finally {
    writeBundle(bundleDir);
  }
});

test('the retrieval captioner reports class-matching captions and round-trips through save/load', async () => {
  const captioner = await RetrievalCaptioner.load(join(bundleDir, 'captioner'));
  try {
    const report = await evaluateRetrievalCaptioner(captioner, world.rows);
    assert.equal(report.bankSize, captioner.bank.length);
    assert.ok(report.valClassMatch >= report.valExactCaption);
    assert.ok(captioner.bank.every((b) => b.classes.length >= 1));
  } finally {
    captioner.dispose();
  }
});

test('unknown or mismatched impls fail with the bundle role and the known impls', async () => {
  writeBundle(bundleDir, { captioner: { impl: 'blip-9000', path: 'x' } });
  await assert.rejects(loadEncoders(readBundle(bundleDir)), (e: Error) => {
    assert.match(e.message, /bundle\.json: captioner \(impl 'blip-9000', path 'x'\): unknown impl 'blip-9000'/);
    for (const impl of ['toy-clip-text', 'toy-clip-image', 'toy-clap-audio', 'toy-wav2clip', 'toy-retrieval-captioner', 'toy-clip-image-features']) {
      assert.ok(e.message.includes(impl), `error does not list ${impl}`);
    }
    return true;
  });
  writeBundle(bundleDir, { captioner: { impl: 'toy-clip-text', path: 'clip' } });
  await assert.rejects(loadEncoders(readBundle(bundleDir)), /captioner .*impl 'toy-clip-text' does not provide a Captioner \(it lacks caption\)/);
  writeBundle(bundleDir, { audioEncoder: { impl: 'toy-clap-audio', path: 'clap', options: { threads: 2 } } });
  await assert.rejects(loadEncoders(readBundle(bundleDir)), /audioEncoder .*takes no options, got threads/);
  writeBundle(bundleDir, { audioToImage: { impl: 'toy-wav2clip', path: 'missing' } });
  await assert.rejects(loadEncoders(readBundle(bundleDir)), /audioToImage .*missing\/config\.json: cannot read/);
  writeBundle(bundleDir);
});

test('registerEncoderLoader adds impls and refuses to replace one', async () => {
  const before = knownEncoderImpls();
  const loader = async () => ({ name: 'fixed-captioner', caption: async (images: unknown[]) => images.map(() => 'a caption') });
  registerEncoderLoader('test-fixed-captioner', loader);
  registerEncoderLoader('test-fixed-captioner', loader); // same loader again: fine
  assert.deepEqual(knownEncoderImpls(), [...before, 'test-fixed-captioner'].sort());
  assert.throws(() => registerEncoderLoader('toy-clip-text', loader), /already registered for impl 'toy-clip-text'/);
  writeBundle(bundleDir, { captioner: { impl: 'test-fixed-captioner', path: 'none' } });
  const enc = await loadEncoders(readBundle(bundleDir));
  try {
    assert.deepEqual(await enc.captioner.caption(loadImages(world.rows.slice(0, 1))), ['a caption']);
  } finally {
    enc.dispose();
    writeBundle(bundleDir);
  }
});
