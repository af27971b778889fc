import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { resample } from '../../../src/encoders/frontends/resample.js';
import { clapLogMel, clapFrontEnd, CLAP_FRAMES, CLAP_SAMPLES, clapWaveform } from '../../../src/encoders/frontends/clap-audio.js';
import { wav2clipFeatures } from '../../../src/encoders/frontends/wav2clip-audio.js';
import { tileOrCrop, cropStart } from '../../../src/encoders/frontends/clip-length.js';
import { clipPixelValuesU8, cropOffset, shortestEdgeSize } from '../../../src/encoders/frontends/clip-image.js';
import { ClipTokenizer } from '../../../src/encoders/frontends/clip-bpe.js';
import { FRONTEND_FIXTURES, maxRelErr, need, readTensors } from './reference.js';

const audio = readTensors(join(FRONTEND_FIXTURES, 'audio.safetensors'));

test('resampling to 44.1 kHz matches torchaudio\'s sinc_interp_hann kernel (48k, 22.05k, 16k)', () => {
  for (const rate of [48000, 22050, 16000]) {
    const input = need(audio, `resample_${rate}_in`).data;
    const expected = need(audio, `resample_${rate}_out`).data;
    const out = resample(input, rate, 44100);
    assert.equal(out.length, expected.length, `length at ${rate}`);
    const err = maxRelErr(out, expected);
    assert.ok(err <= 1e-5, `rate ${rate}: rel err ${err}`);
  }
});

test('CLAP log-mel matches librosa stft + slaney mel + 10·log10 (torchlibrosa semantics)', () => {
  const { frames, data } = clapLogMel(need(audio, 'logmel_in').data);
  const expected = need(audio, 'logmel_out');
  assert.deepEqual([frames, 64], expected.shape);
  const err = maxRelErr(data, expected.data);
  assert.ok(err <= 1e-4, `rel err ${err}`);
  assert.ok(Math.min(...data) === -100, 'silence hits the amin floor (10·log10(1e-10))');
});

test('Wav2CLIP front end matches torch.stft + log + unbiased standardisation', () => {
  const { frames, data } = wav2clipFeatures(need(audio, 'w2c_in').data);
  const expected = need(audio, 'w2c_out');
  assert.deepEqual([257, frames], expected.shape);
  const err = maxRelErr(data, expected.data);
  assert.ok(err <= 1e-4, `rel err ${err}`);
});

test('CLAP clip length: short clips are tiled, long clips cropped by a seeded, content-keyed start', () => {
  const short = Float32Array.from([1, 2, 3]);
  assert.deepEqual([...tileOrCrop(short, 7, { kind: 'center' })], [1, 2, 3, 1, 2, 3, 1]);
  const long = new Float32Array(1000).map((_, i) => Math.sin(i));
  const a = cropStart(long, 100, { kind: 'seeded', seed: 7 });
  assert.equal(cropStart(long, 100, { kind: 'seeded', seed: 7 }), a, 'same seed, same clip → same crop');
  const starts = new Set([1, 2, 3, 4, 5, 6, 8, 9].map((seed) => cropStart(long, 100, { kind: 'seeded', seed })));
  assert.ok(starts.size > 4, 'different seeds move the crop');
  assert.equal(cropStart(long, 100, { kind: 'center' }), 450);
  const cropped = tileOrCrop(long, 100, { kind: 'seeded', seed: 7 });
  assert.deepEqual([...cropped], [...long.subarray(a, a + 100)]);
  assert.ok(a >= 0 && a < 900, 'randrange(len − L) range');
});

test('CLAP front end produces the [1379, 64] log-mel of a 10 s, 44.1 kHz clip', () => {
  const clip = { samples: new Float32Array(4800).map((_, i) => Math.sin(i / 10)), sampleRate: 48000 };
  const wave = clapWaveform(clip, { kind: 'center' });
  assert.equal(wave.length, CLAP_SAMPLES);
  assert.equal(clapFrontEnd(clip, { kind: 'center' }).length, CLAP_FRAMES * 64);
});

test('CLIP image preprocessing matches transformers CLIPImageProcessor (Pillow bicubic) to float precision', () => {
  const images = readTensors(join(FRONTEND_FIXTURES, 'image.safetensors'));
  const cases = JSON.parse(readFileSync(join(FRONTEND_FIXTURES, 'image-cases.json'), 'utf8')) as { name: string; height: number; width: number; size: number }[];
  assert.ok(cases.length >= 5);
  for (const c of cases) {
    const input = need(images, `${c.name}_in`).data;
    const expected = need(images, `${c.name}_out`);
    const out = clipPixelValuesU8({ width: c.width, height: c.height, channels: 3, data: Uint8Array.from(input) }, { size: c.size });
    assert.deepEqual(expected.shape, [3, c.size, c.size]);
    let maxAbs = 0;
    for (let i = 0; i < out.length; i++) maxAbs = Math.max(maxAbs, Math.abs(out[i]! - expected.data[i]!));
    assert.ok(maxAbs <= 1e-5, `${c.name} (${c.width}×${c.height}→${c.size}): max abs ${maxAbs}`);
  }
});

test('CLIP crop offsets: transformers floors, torchvision rounds half to even', () => {
  assert.deepEqual(shortestEdgeSize(640, 480, 224), { width: 298, height: 224 });
  assert.equal(cropOffset(74, 'transformers'), 37);
  assert.equal(cropOffset(3, 'transformers'), 1);
  assert.equal(cropOffset(3, 'torchvision'), 2);
  assert.equal(cropOffset(5, 'torchvision'), 2);
});

test('CLIP BPE tokenizer reproduces transformers CLIPTokenizer ids exactly (tiny vocab)', () => {
  const fx = JSON.parse(readFileSync(join(FRONTEND_FIXTURES, 'tokenizer.json'), 'utf8')) as { bos: number; eos: number; cases: { text: string; ids: number[] }[] };
  const dir = join(FRONTEND_FIXTURES, 'tiny-bpe');
  const tok = ClipTokenizer.fromFiles(join(dir, 'vocab.json'), join(dir, 'merges.txt'));
  assert.equal(tok.bos, fx.bos);
  assert.equal(tok.eos, fx.eos);
  for (const c of fx.cases) assert.deepEqual([...tok.encode(c.text)], c.ids, JSON.stringify(c.text));
});

// The real CLIP vocabulary is 1.36 MB and not committed: set SONIC_CLIP_BPE_GZ to bpe_simple_vocab_16e6.txt.gz
// (it ships in the open_clip_torch and clip wheels) or put it under models/upstream/open_clip/.
const realBpe = process.env.SONIC_CLIP_BPE_GZ ?? join('models', 'upstream', 'open_clip', 'bpe_simple_vocab_16e6.txt.gz');
test('CLIP BPE tokenizer reproduces transformers CLIPTokenizer ids under the real 49,408-token vocabulary', { skip: !existsSync(realBpe) && `no ${realBpe}` }, () => {
  const fx = JSON.parse(readFileSync(join(FRONTEND_FIXTURES, 'tokenizer-real.json'), 'utf8')) as { sha256: string; bos: number; eos: number; cases: { text: string; ids: number[] }[] };
  assert.equal(createHash('sha256').update(readFileSync(realBpe)).digest('hex'), fx.sha256, `${realBpe} is not the vocabulary the fixture was made with`);
  const tok = ClipTokenizer.fromOpenAiBpeGz(realBpe);
  assert.deepEqual([tok.bos, tok.eos], [49406, 49407]);
  for (const c of fx.cases) assert.deepEqual([...tok.encode(c.text)], c.ids, JSON.stringify(c.text));
});
