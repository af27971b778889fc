import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOnnxModel, loadOnnxModelRef } from '../../../src/encoders/onnx/loader.js';
import { OnnxWav2Clip } from '../../../src/encoders/onnx/wav2clip-encoder.js';
import type { RgbImage } from '../../../src/encoders/interfaces.js';
import { ONNX_FIXTURES, maxRelErr, need, readTensors } from './reference.js';

const dir = (name: string): string => join(ONNX_FIXTURES, name);
const refs = (name: string) => readTensors(join(dir(name), 'reference.safetensors'));

function u8Image(t: { shape: number[]; data: Float32Array }): RgbImage {
  const [height, width] = t.shape as [number, number];
  return { width, height, data: t.data.map((v) => v / 255) };
}

function assertRows(actual: Float32Array[], expected: { shape: number[]; data: Float32Array }, tol: number, what: string): number {
  const per = expected.data.length / expected.shape[0]!;
  assert.equal(actual.length, expected.shape[0], `${what}: batch`);
  let worst = 0;
  actual.forEach((row, b) => {
    const err = maxRelErr(row, expected.data.subarray(b * per, (b + 1) * per));
    worst = Math.max(worst, err);
    assert.ok(err <= tol, `${what}[${b}]: rel err ${err} > ${tol}`);
  });
  return worst;
}

test('onnx-ms-clap-2022: resample + tile + log-mel + Cnn14/projection graph reproduce the PyTorch reference', async (t) => {
  const r = refs('ms-clap-2022');
  const enc = await loadOnnxModel('onnx-ms-clap-2022', dir('ms-clap-2022'), { intraOpNumThreads: 1 });
  try {
    assert.equal(enc.dim, 12);
    const clips = ['clip0', 'clip1'].map((c) => ({ samples: need(r, `${c}_samples`).data, sampleRate: need(r, `${c}_rate`).data[0]! }));
    const emb = await enc.embedAudio(clips);
    t.diagnostic(`max rel err ${assertRows(emb, need(r, 'audio_embeds'), 1e-4, 'audio_embeds')}`);
    const norm = Math.hypot(...emb[0]!);
    assert.ok(Math.abs(norm - 1) < 1e-5, 'unit norm');
  } finally {
    await enc.close();
  }
});

test('onnx-clip-text: BPE tokens + text graph reproduce last_hidden_state and text_embeds', async (t) => {
  const r = refs('clip-text');
  const { texts } = JSON.parse(readFileSync(join(dir('clip-text'), 'reference.json'), 'utf8')) as { texts: string[] };
  const enc = await loadOnnxModel('onnx-clip-text', dir('clip-text'), { normalize: false, batchSize: 2 });
  try {
    assert.equal(enc.maxTokens, 77);
    assert.equal(enc.width, 24);
    const ids = need(r, 'input_ids');
    texts.forEach((t, i) => assert.deepEqual([...enc.tokenizer.encode(t)], [...ids.data.subarray(i * 77, (i + 1) * 77)]));
    const e1 = assertRows(await enc.encodeTokens(texts), need(r, 'last_hidden_state'), 1e-4, 'last_hidden_state');
    const e2 = assertRows(await enc.embedText(texts), need(r, 'text_embeds'), 1e-4, 'text_embeds');
    t.diagnostic(`max rel err last_hidden_state ${e1}, text_embeds ${e2}`);
  } finally {
    await enc.close();
  }
});

test('onnx-clip-image: Pillow-exact preprocessing + vision graph reproduce normalised image_embeds', async (t) => {
  const r = refs('clip-image');
  const enc = await loadOnnxModel('onnx-clip-image', dir('clip-image'), {});
  try {
    assert.equal(enc.inputSize, 32);
    assert.equal(enc.dim, 10);
    const emb = await enc.embedImages([u8Image(need(r, 'image0')), u8Image(need(r, 'image1'))]);
    t.diagnostic(`max rel err ${assertRows(emb, need(r, 'image_embeds'), 1e-4, 'image_embeds')}`);
  } finally {
    await enc.close();
  }
});

test('onnx-wav2clip: 44.1 kHz + zero-pad + log-spectrogram + ResNet/MLP graph reproduce the reference', async (t) => {
  const r = refs('wav2clip');
  const enc = await loadOnnxModel('onnx-wav2clip', dir('wav2clip'), {});
  try {
    const emb = await enc.embedAudio([{ samples: need(r, 'clip0_samples').data, sampleRate: need(r, 'clip0_rate').data[0]! }]);
    t.diagnostic(`max rel err ${assertRows(emb, need(r, 'audio_embeds'), 1e-4, 'audio_embeds')}`);
  } finally {
    await enc.close();
  }
});

test('onnx-inception-v3: bilinear 299 resize + pool3 graph reproduce the reference features', async (t) => {
  const r = refs('inception-v3');
  const fx = await loadOnnxModel('onnx-inception-v3', dir('inception-v3'), {});
  try {
    assert.equal(fx.dim, 2048);
    assert.match(fx.name, /inception/);
    t.diagnostic(`max rel err ${assertRows(await fx.features([u8Image(need(r, 'image0'))]), need(r, 'pool3'), 1e-4, 'pool3')}`);
  } finally {
    await fx.close();
  }
});

test('onnx-captioner: greedy decoding over the encoder/decoder pair gives the reference ids and text', async () => {
  const r = refs('captioner');
  const expected = JSON.parse(readFileSync(join(dir('captioner'), 'reference.json'), 'utf8')) as { captions: { ids: number[]; text: string }[] };
  const cap = await loadOnnxModel('onnx-captioner', dir('captioner'), { batchSize: 2 });
  try {
    const images = [u8Image(need(r, 'image0')), u8Image(need(r, 'image1'))];
    const pv = need(r, 'pixel_values');
    const per = pv.data.length / 2;
    images.forEach((im, i) => assert.ok(maxRelErr(cap.pixelValues(im), pv.data.subarray(i * per, (i + 1) * per)) <= 1e-6, 'ViT preprocessing (Pillow bilinear)'));
    assert.deepEqual(await cap.generateIds(images), expected.captions.map((c) => c.ids));
    assert.deepEqual(await cap.caption(images), expected.captions.map((c) => c.text));
  } finally {
    await cap.close();
  }
});

test('onnx-sd-vae: encode gives the scaled posterior mean, decode inverts the scaling', async (t) => {
  const r = refs('sd-vae');
  const vae = await loadOnnxModel('onnx-sd-vae', dir('sd-vae'), {});
  try {
    const mean = need(r, 'latent_mean');
    const [lat] = await vae.encode([u8Image(need(r, 'image0'))]);
    const unscaled = lat!.map((v) => v / 0.18215);
    assert.ok(maxRelErr(unscaled, mean.data) <= 1e-4, `latent rel err ${maxRelErr(unscaled, mean.data)}`);
    const [img] = await vae.decode([mean.data.map((v) => v * 0.18215)], 2, 2);
    const decoded = need(r, 'decoded').data;
    const expectedHwc = new Float32Array(16 * 16 * 3);
    for (let i = 0; i < 256; i++) for (let c = 0; c < 3; c++) expectedHwc[i * 3 + c] = Math.min(1, Math.max(0, (decoded[c * 256 + i]! + 1) / 2));
    assert.equal(img!.width, 16);
    assert.ok(maxRelErr(img!.data, expectedHwc) <= 1e-4, `decoded rel err ${maxRelErr(img!.data, expectedHwc)}`);
    t.diagnostic(`max rel err latent ${maxRelErr(unscaled, mean.data)}, decoded ${maxRelErr(img!.data, expectedHwc)}`);
  } finally {
    await vae.close();
  }
});

test('a mis-shaped model is rejected with an error naming the file and the difference', async () => {
  const file = join(dir('bad'), 'vision_model.onnx');
  await assert.rejects(loadOnnxModel('onnx-clip-image', dir('bad'), {}), (e: Error) => {
    assert.ok(e.message.includes(file), e.message);
    assert.match(e.message, /output 'image_embeds' is missing/);
    assert.match(e.message, /features float32 \[B,8,8\]/);
    return true;
  });
  // A real-size expectation pinned in the bundle is enforced too.
  await assert.rejects(loadOnnxModel('onnx-ms-clap-2022', dir('ms-clap-2022'), { expectDims: { D: 1024 } }), /dimension D is 12, but the configuration expects 1024/);
  // The right file in the wrong role.
  await assert.rejects(loadOnnxModel('onnx-wav2clip', join(dir('ms-clap-2022'), 'clap_audio.onnx'), {}), /input 'spectrogram' is missing.*unexpected input\(s\) log_mel/);
});

test('loader errors: unknown impl, missing file, bad options', async () => {
  await assert.rejects(loadOnnxModel('onnx-nope', dir('bad'), {}), /unknown ONNX model impl 'onnx-nope'.*onnx-ms-clap-2022/);
  await assert.rejects(loadOnnxModel('onnx-wav2clip', join(dir('bad'), 'nothing.onnx'), {}), /nothing\.onnx: ONNX model file not found/);
  await assert.rejects(loadOnnxModel('onnx-ms-clap-2022', dir('ms-clap-2022'), { crop: 'random' }), /options\.crop/);
});

test('loadOnnxModelRef resolves a bundle-relative ModelRef path', async () => {
  const m = await loadOnnxModelRef({ dir: ONNX_FIXTURES }, { impl: 'onnx-wav2clip', path: 'wav2clip', options: { name: 'w2c-tiny' } });
  try {
    assert.ok(m instanceof OnnxWav2Clip);
    assert.equal(m.name, 'w2c-tiny');
  } finally {
    await m.close();
  }
});
