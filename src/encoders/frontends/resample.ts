// Band-limited resampling exactly as torchaudio.functional.resample computes it (the method MS-CLAP's
// CLAPWrapper uses): a Hann-windowed sinc kernel per output phase, lowpass_filter_width 6, rolloff 0.99,
// zero padding at both ends, output length ceil(new·len/orig).

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

export interface ResampleOptions {
  lowpassFilterWidth?: number;
  rolloff?: number;
}

export function resample(signal: Float32Array, origRate: number, newRate: number, opts: ResampleOptions = {}): Float32Array {
  if (!Number.isInteger(origRate) || !Number.isInteger(newRate) || origRate <= 0 || newRate <= 0) {
    throw new Error(`resample: sample rates must be positive integers, got ${origRate} → ${newRate}`);
  }
  if (origRate === newRate) return Float32Array.from(signal);
  const lpw = opts.lowpassFilterWidth ?? 6;
  const rolloff = opts.rolloff ?? 0.99;
  const g = gcd(origRate, newRate);
  const orig = origRate / g;
  const nw = newRate / g;
  const baseFreq = Math.min(orig, nw) * rolloff;
  const width = Math.ceil((lpw * orig) / baseFreq);
  const taps = 2 * width + orig;
  const kernels = new Float64Array(nw * taps);
  const scale = baseFreq / orig;
  for (let p = 0; p < nw; p++) {
    for (let k = 0; k < taps; k++) {
      let t = (-p / nw + (k - width) / orig) * baseFreq;
      t = Math.max(-lpw, Math.min(lpw, t));
      const window = Math.cos((t * Math.PI) / lpw / 2) ** 2;
      const x = t * Math.PI;
      kernels[p * taps + k] = (x === 0 ? 1 : Math.sin(x) / x) * window * scale;
    }
  }
  const length = signal.length;
  const target = Math.ceil((nw * length) / orig);
  const out = new Float32Array(target);
  const blocks = Math.floor(length / orig) + 1;
  for (let b = 0; b < blocks; b++) {
    const start = b * orig - width; // index into the unpadded signal
    for (let p = 0; p < nw; p++) {
      const o = b * nw + p;
      if (o >= target) return out;
      let acc = 0;
      const kOff = p * taps;
      const k0 = Math.max(0, -start);
      const k1 = Math.min(taps, length - start);
      for (let k = k0; k < k1; k++) acc += kernels[kOff + k]! * signal[start + k]!;
      out[o] = acc;
    }
  }
  return out;
}
