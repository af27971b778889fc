import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resample, ResampleError } from '../../src/data/media/resample.js';

function sine(rate: number, freq: number, seconds: number, amp: number): Float32Array {
  return Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amp * Math.sin((2 * Math.PI * freq * i) / rate));
}

/** Amplitude of the component at `freq`, measured away from the edges. */
function amplitudeAt(x: Float32Array, rate: number, freq: number): number {
  let s = 0;
  let c = 0;
  const from = Math.floor(x.length * 0.1);
  const to = Math.floor(x.length * 0.9);
  for (let i = from; i < to; i++) {
    s += x[i]! * Math.sin((2 * Math.PI * freq * i) / rate);
    c += x[i]! * Math.cos((2 * Math.PI * freq * i) / rate);
  }
  return (2 * Math.hypot(s, c)) / (to - from);
}

for (const [from, to] of [[44100, 48000], [48000, 44100], [48000, 16000], [16000, 44100], [44100, 16000], [16000, 48000]] as const) {
  test(`resampling ${from} → ${to} keeps a 1 kHz sine's frequency and amplitude`, () => {
    const y = resample(sine(from, 1000, 0.5, 0.6), from, to);
    assert.equal(y.length, Math.ceil((0.5 * from * to) / from));
    assert.ok(Math.abs(amplitudeAt(y, to, 1000) - 0.6) < 0.003, `amplitude ${amplitudeAt(y, to, 1000)}`);
    assert.ok(amplitudeAt(y, to, 1060) < 0.02, 'energy leaked to a neighbouring frequency');
    // Phase continuity: the output matches the ideal sine sample by sample in the middle.
    const mid = Math.floor(y.length / 2);
    for (let i = mid; i < mid + 50; i++) assert.ok(Math.abs(y[i]! - 0.6 * Math.sin((2 * Math.PI * 1000 * i) / to)) < 0.005);
  });
}

test('downsampling removes content above the new Nyquist frequency', () => {
  const y = resample(sine(48000, 11000, 0.5, 0.8), 48000, 16000);
  let peak = 0;
  for (let i = 200; i < y.length - 200; i++) peak = Math.max(peak, Math.abs(y[i]!));
  assert.ok(peak < 0.002, `alias peak ${peak}`);
});

test('resample rejects bad rates and copies on equal rates', () => {
  assert.throws(() => resample(new Float32Array(4), 0, 16000), (e: unknown) => e instanceof ResampleError && /fromRate must be a positive integer/.test(e.message));
  assert.throws(() => resample(new Float32Array(4), 16000, 22050.5), /toRate must be a positive integer sample rate, got 22050.5/);
  const x = Float32Array.of(1, 2, 3);
  const y = resample(x, 8000, 8000);
  assert.deepEqual([...y], [1, 2, 3]);
  assert.notEqual(y, x);
});
