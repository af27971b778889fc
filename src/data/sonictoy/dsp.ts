// Small audio synthesis toolkit for the SonicToy sounds: noise, biquad filters, envelopes, mixing.
import type { Rng } from './prng.js';

export function whiteNoise(n: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.next() * 2 - 1;
  return out;
}

/** Leaky-integrated white noise (≈ 1/f² spectrum), normalised to unit peak. */
export function brownNoise(n: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  let y = 0;
  let peak = 1e-9;
  for (let i = 0; i < n; i++) {
    y = 0.995 * y + (rng.next() * 2 - 1) * 0.1;
    out[i] = y;
    peak = Math.max(peak, Math.abs(y));
  }
  for (let i = 0; i < n; i++) out[i]! /= peak;
  return out;
}

export type FilterKind = 'lowpass' | 'highpass' | 'bandpass';

/** RBJ audio-cookbook biquad coefficients [b0, b1, b2, a1, a2] (a0 normalised). */
export function biquadCoefficients(kind: FilterKind, freq: number, q: number, sampleRate: number): Float64Array {
  const f = Math.min(Math.max(freq, 10), sampleRate * 0.49);
  const w0 = (2 * Math.PI * f) / sampleRate;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * q);
  let b0: number, b1: number, b2: number;
  if (kind === 'lowpass') {
    b0 = (1 - cos) / 2;
    b1 = 1 - cos;
    b2 = (1 - cos) / 2;
  } else if (kind === 'highpass') {
    b0 = (1 + cos) / 2;
    b1 = -(1 + cos);
    b2 = (1 + cos) / 2;
  } else {
    b0 = alpha;
    b1 = 0;
    b2 = -alpha;
  }
  const a0 = 1 + alpha;
  return Float64Array.of(b0 / a0, b1 / a0, b2 / a0, (-2 * cos) / a0, (1 - alpha) / a0);
}

/** Filter `x` (returns a new array). */
export function filter(x: Float32Array, kind: FilterKind, freq: number, q: number, sampleRate: number): Float32Array {
  const [b0, b1, b2, a1, a2] = biquadCoefficients(kind, freq, q, sampleRate) as unknown as [number, number, number, number, number];
  const y = new Float32Array(x.length);
  let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    const yi = b0 * xi + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = xi;
    y2 = y1;
    y1 = yi;
    y[i] = yi;
  }
  return y;
}

/** Band-pass whose centre frequency follows `centre(i)` (coefficients refreshed every 32 samples). */
export function sweptBandpass(x: Float32Array, centre: (i: number) => number, q: number, sampleRate: number): Float32Array {
  const y = new Float32Array(x.length);
  let c = biquadCoefficients('bandpass', centre(0), q, sampleRate);
  let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  for (let i = 0; i < x.length; i++) {
    if (i % 32 === 0) c = biquadCoefficients('bandpass', centre(i), q, sampleRate);
    const xi = x[i]!;
    const yi = c[0]! * xi + c[1]! * x1 + c[2]! * x2 - c[3]! * y1 - c[4]! * y2;
    x2 = x1;
    x1 = xi;
    y2 = y1;
    y1 = yi;
    y[i] = yi;
  }
  return y;
}

/** Slowly varying random curve in [0, 1]: smoothly interpolated random values at `rateHz`. */
export function smoothRandom(n: number, sampleRate: number, rateHz: number, rng: Rng): Float32Array {
  const step = Math.max(1, Math.round(sampleRate / rateHz));
  const knots = Math.ceil(n / step) + 2;
  const values = Array.from({ length: knots }, () => rng.next());
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(i / step);
    const f = (i - k * step) / step;
    const s = f * f * (3 - 2 * f);
    out[i] = values[k]! * (1 - s) + values[k + 1]! * s;
  }
  return out;
}

/** Add `src` × gain into `dst` starting at sample `offset` (clipped to dst). */
export function mixInto(dst: Float32Array, src: Float32Array, offset: number, gain = 1): void {
  const start = Math.max(0, offset);
  const end = Math.min(dst.length, offset + src.length);
  for (let i = start; i < end; i++) dst[i]! += src[i - offset]! * gain;
}

/** A decaying event: attack (linear) then exponential decay, length samples. */
export function decayEnvelope(length: number, sampleRate: number, attackS: number, decayS: number): Float32Array {
  const out = new Float32Array(length);
  const a = Math.max(1, Math.round(attackS * sampleRate));
  for (let i = 0; i < length; i++) {
    out[i] = i < a ? i / a : Math.exp(-(i - a) / (decayS * sampleRate));
  }
  return out;
}

export function multiply(x: Float32Array, env: Float32Array): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i]! * (env[i] ?? 0);
  return out;
}

/** Decaying sinusoid with optional exponential pitch glide (ratio reached after `length`). */
export function decayingSine(length: number, sampleRate: number, freq: number, decayS: number, glideRatio = 1, phase = 0): Float32Array {
  const out = new Float32Array(length);
  let ph = phase;
  for (let i = 0; i < length; i++) {
    const f = freq * Math.pow(glideRatio, i / length);
    ph += (2 * Math.PI * f) / sampleRate;
    out[i] = Math.sin(ph) * Math.exp(-i / (decayS * sampleRate));
  }
  return out;
}

export function rms(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / Math.max(1, x.length));
}

/** Scale to the given RMS (no-op on silence). */
export function normalizeRms(x: Float32Array, target: number): Float32Array {
  const r = rms(x);
  const g = r > 1e-12 ? target / r : 0;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i]! * g;
  return out;
}

/** Identity below `knee`, smooth monotone compression above, never reaching 1. */
export function softLimit(x: Float32Array, knee = 0.8): Float32Array {
  const room = 1 - knee;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const a = Math.abs(v);
    out[i] = a <= knee ? v : Math.sign(v) * (knee + room * Math.tanh((a - knee) / room));
  }
  return out;
}

/** Short fades at both ends so clips do not click when tiled. */
export function fadeEdges(x: Float32Array, sampleRate: number, seconds = 0.01): void {
  const n = Math.min(Math.floor(x.length / 2), Math.round(seconds * sampleRate));
  for (let i = 0; i < n; i++) {
    const g = i / n;
    x[i]! *= g;
    x[x.length - 1 - i]! *= g;
  }
}
