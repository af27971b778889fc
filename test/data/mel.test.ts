import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Fft } from '../../src/data/media/fft.js';
import { hzToMel, logMelSpectrogram, melFilterbank, melToHz, MelError, type MelScale } from '../../src/data/media/mel.js';

interface Reference {
  sampleRate: number; nFft: number; hop: number; nMels: number; fMin: number; fMax: number; signal: number[];
  slaney_slaney: { filterbank: number[][]; logMelDb: number[][] };
  htk_none: { filterbank: number[][]; logMelDb: number[][] };
}
const reference = JSON.parse(readFileSync(new URL('../../../test/data/fixtures/mel-reference.json', import.meta.url), 'utf8')) as Reference;

test('FFT matches a direct DFT', () => {
  const n = 16;
  const x = Array.from({ length: n }, (_, i) => Math.sin(i * 0.7) + 0.3 * Math.cos(i * 2.1) + (i === 3 ? 1 : 0));
  const re = Float64Array.from(x);
  const im = new Float64Array(n);
  new Fft(n).transform(re, im);
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let t = 0; t < n; t++) {
      sr += x[t]! * Math.cos((-2 * Math.PI * k * t) / n);
      si += x[t]! * Math.sin((-2 * Math.PI * k * t) / n);
    }
    assert.ok(Math.abs(re[k]! - sr) < 1e-9 && Math.abs(im[k]! - si) < 1e-9, `bin ${k}`);
  }
  assert.throws(() => new Fft(12), /power of two/);
});

test('mel scales invert and hit their anchor points', () => {
  for (const scale of ['htk', 'slaney'] as const) {
    for (const f of [0, 50, 700, 1000, 4321, 14000]) assert.ok(Math.abs(melToHz(hzToMel(f, scale), scale) - f) < 1e-6);
  }
  assert.ok(Math.abs(hzToMel(1000, 'htk') - 1000) < 0.1);
  assert.ok(Math.abs(hzToMel(1000, 'slaney') - 15) < 1e-9);
});

for (const [key, scale, norm] of [['slaney_slaney', 'slaney', 'slaney'], ['htk_none', 'htk', 'none']] as const) {
  test(`mel filterbank and log-mel match the torch/transformers reference (${scale} scale, norm ${norm})`, () => {
    const { sampleRate, nFft, hop, nMels, fMin, fMax } = reference;
    const fb = melFilterbank({ sampleRate, nFft, nMels, fMin, fMax, melScale: scale, norm });
    const bins = nFft / 2 + 1;
    const expectedFb = reference[key].filterbank;
    for (let m = 0; m < nMels; m++) {
      for (let b = 0; b < bins; b++) {
        const e = expectedFb[m]![b]!;
        assert.ok(Math.abs(fb[m * bins + b]! - e) <= 1e-5 * Math.max(1, Math.abs(e)), `filter ${m} bin ${b}: ${fb[m * bins + b]} vs ${e}`);
      }
    }
    const mel = logMelSpectrogram(Float32Array.from(reference.signal), { sampleRate, nFft, hop, nMels, fMin, fMax, melScale: scale, norm });
    const expected = reference[key].logMelDb;
    assert.equal(mel.frames, expected.length);
    for (let t = 0; t < mel.frames; t++) {
      for (let m = 0; m < nMels; m++) {
        const e = expected[t]![m]!;
        assert.ok(Math.abs(mel.data[t * nMels + m]! - e) < 0.01, `frame ${t} mel ${m}: ${mel.data[t * nMels + m]} vs ${e}`);
      }
    }
  });
}

function bandCentres(scale: MelScale, nMels: number, fMin: number, fMax: number): number[] {
  const lo = hzToMel(fMin, scale);
  const hi = hzToMel(fMax, scale);
  return Array.from({ length: nMels }, (_, m) => melToHz(lo + ((hi - lo) * (m + 1)) / (nMels + 1), scale));
}

for (const scale of ['htk', 'slaney'] as const) {
  test(`a pure tone peaks in the mel band centred nearest to it (${scale})`, () => {
    const sampleRate = 16000;
    for (const freq of [300, 1000, 2500, 5000]) {
      const x = Float32Array.from({ length: sampleRate / 2 }, (_, i) => Math.sin((2 * Math.PI * freq * i) / sampleRate));
      const nMels = 40;
      const mel = logMelSpectrogram(x, { sampleRate, nFft: 1024, hop: 256, nMels, fMin: 0, fMax: 8000, melScale: scale, norm: 'none' });
      assert.equal(mel.frames, 1 + Math.floor(x.length / 256));
      const t = Math.floor(mel.frames / 2);
      const row = [...mel.data.subarray(t * nMels, (t + 1) * nMels)];
      const peak = row.indexOf(Math.max(...row));
      const centres = bandCentres(scale, nMels, 0, 8000);
      const nearest = centres.reduce((best, c, i) => (Math.abs(c - freq) < Math.abs(centres[best]! - freq) ? i : best), 0);
      assert.equal(peak, nearest, `${freq} Hz peaked in band ${peak} (${centres[peak]!.toFixed(0)} Hz), expected ${nearest} (${centres[nearest]!.toFixed(0)} Hz)`);
    }
  });
}

test('mel parameters are validated with clear messages', () => {
  assert.throws(() => melFilterbank({ sampleRate: 16000, nFft: 512, nMels: 10, fMax: 9000 }), (e: unknown) => e instanceof MelError && /fMax ≤ sampleRate\/2 \(8000\)/.test(e.message));
  assert.throws(() => logMelSpectrogram(new Float32Array(100), { sampleRate: 16000, nFft: 500, hop: 10, nMels: 8 }), /power of two/);
  assert.throws(() => logMelSpectrogram(new Float32Array(0), { sampleRate: 16000, nFft: 512, hop: 10, nMels: 8 }), /empty signal/);
  assert.throws(() => logMelSpectrogram(new Float32Array(100), { sampleRate: 16000, nFft: 512, hop: 10, nMels: 8, center: false }), /shorter than nFft=512/);
});
