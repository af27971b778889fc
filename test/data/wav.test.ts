import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/temp-dir.js';
import { decodeWav, encodeWav, readWav, writeWav, WavError, type WavEncoding } from '../../src/data/media/wav.js';

const ramp = (n: number, phase = 0) => Float32Array.from({ length: n }, (_, i) => 0.9 * Math.sin(0.05 * i + phase));
const STEP: Record<WavEncoding, number> = { pcm8: 1 / 128, pcm16: 1 / 32768, pcm24: 1 / 8388608, pcm32: 1 / 2147483648, float32: 0, float64: 0 };

function assertClose(actual: Float32Array, expected: Float32Array, tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tol + 1e-7, `${what}: sample ${i} ${actual[i]} vs ${expected[i]}`);
  }
}

for (const encoding of ['pcm8', 'pcm16', 'pcm24', 'pcm32', 'float32', 'float64'] as const) {
  for (const extensible of [false, true]) {
    test(`WAV round trip ${encoding}${extensible ? ' (WAVE_FORMAT_EXTENSIBLE)' : ''}, mono and stereo`, () => {
      const mono = ramp(301);
      const a = decodeWav(encodeWav(mono, 22050, { encoding, extensible }));
      assert.equal(a.sampleRate, 22050);
      assert.equal(a.channels, 1);
      assert.equal(a.encoding, encoding);
      assertClose(a.samples, mono, STEP[encoding], encoding);
      const left = ramp(300);
      const right = ramp(300, 1.3);
      const s = decodeWav(encodeWav([left, right], 48000, { encoding, extensible }));
      assert.equal(s.channels, 2);
      const avg = left.map((v, i) => (v + right[i]!) / 2);
      assertClose(s.samples, avg, STEP[encoding], `${encoding} stereo`);
    });
  }
}

test('decodes a hand-built 24-bit stereo WAVE_FORMAT_EXTENSIBLE file with an odd-sized LIST chunk', () => {
  const frames: Array<[number, number]> = [[0x7fffff, -0x800000], [0x400000, 0], [-1, 1]];
  const data = Buffer.alloc(frames.length * 6);
  frames.forEach(([l, r], i) => {
    data.writeIntLE(l, i * 6, 3);
    data.writeIntLE(r, i * 6 + 3, 3);
  });
  const fmt = Buffer.alloc(40);
  fmt.writeUInt16LE(0xfffe, 0);
  fmt.writeUInt16LE(2, 2);
  fmt.writeUInt32LE(44100, 4);
  fmt.writeUInt32LE(44100 * 6, 8);
  fmt.writeUInt16LE(6, 12);
  fmt.writeUInt16LE(24, 14);
  fmt.writeUInt16LE(22, 16);
  fmt.writeUInt16LE(24, 18);
  fmt.writeUInt32LE(3, 20);
  Buffer.from('0100000000001000800000aa00389b71', 'hex').copy(fmt, 24);
  const chunk = (id: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.write(id, 0, 'ascii');
    head.writeUInt32LE(body.length, 4);
    return Buffer.concat([head, body, body.length & 1 ? Buffer.alloc(1) : Buffer.alloc(0)]);
  };
  const body = Buffer.concat([Buffer.from('WAVE'), chunk('fmt ', fmt), chunk('LIST', Buffer.from('odd')), chunk('data', data)]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'ascii');
  riff.writeUInt32LE(body.length, 4);
  const wav = decodeWav(Buffer.concat([riff, body]));
  assert.equal(wav.sampleRate, 44100);
  assert.equal(wav.channels, 2);
  assert.equal(wav.encoding, 'pcm24');
  const expected = frames.map(([l, r]) => (l / 8388608 + r / 8388608) / 2);
  assertClose(wav.samples, Float32Array.from(expected), 1e-7, 'hand-built');
});

test('WAV errors name the file and the problem', () => {
  const dir = tempDir('wav-');
  const bad = join(dir, 'broken.wav');
  writeFileSync(bad, 'this is not audio');
  assert.throws(() => readWav(bad), (e: unknown) => e instanceof WavError && /broken\.wav: not a WAV file/.test(e.message));
  assert.throws(() => readWav(join(dir, 'missing.wav')), /missing\.wav: cannot read WAV file \(ENOENT\)/);
  const good = encodeWav(ramp(10), 8000, { encoding: 'pcm16' });
  const noData = good.subarray(0, 36); // header and fmt chunk only
  assert.throws(() => decodeWav(noData, 'cut.wav'), /cut\.wav: WAV file has no 'data' chunk/);
  const adpcm = Buffer.from(good);
  adpcm.writeUInt16LE(2, 20);
  assert.throws(() => decodeWav(adpcm, 'adpcm.wav'), /adpcm\.wav: unsupported WAV sample format \(format tag 2, 16 bits\)/);
});

test('a truncated data chunk yields the whole frames present', () => {
  const full = encodeWav(ramp(100), 8000, { encoding: 'pcm16' });
  const cut = full.subarray(0, full.length - 51);
  assert.equal(decodeWav(cut).samples.length, 74);
});

test('writeWav writes atomically and readWav reads it back', () => {
  const dir = tempDir('wav-');
  const p = join(dir, 'sub', 'a.wav');
  writeWav(p, ramp(64), 16000, { encoding: 'float32' });
  assert.deepEqual(readdirSync(join(dir, 'sub')), ['a.wav']);
  assertClose(readWav(p).samples, ramp(64), 0, 'file');
});
