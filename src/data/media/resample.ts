// Band-limited resampling with a Kaiser-windowed sinc kernel. For rational rate ratios (all integer
// rates) the kernel is tabulated per output phase (polyphase), so 44.1k↔48k↔16k are cheap.

export class ResampleError extends Error {}

export interface ResampleOptions {
  /** Kernel half-width in zero crossings of the (lower-rate) sinc. Default 24. */
  zeroCrossings?: number;
  /** Cutoff as a fraction of the lower Nyquist frequency. Default 0.94. */
  rolloff?: number;
  /** Kaiser window beta. Default 8.6 (about 80 dB stopband). */
  kaiserBeta?: number;
}

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 64; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-16) break;
  }
  return sum;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

const MAX_TABLE_ENTRIES = 1 << 22;

/** Resample mono `samples` from `fromRate` to `toRate` (positive integers, Hz). */
export function resample(samples: Float32Array, fromRate: number, toRate: number, options: ResampleOptions = {}): Float32Array {
  for (const [name, r] of [['fromRate', fromRate], ['toRate', toRate]] as const) {
    if (!Number.isInteger(r) || r < 1) throw new ResampleError(`resample: ${name} must be a positive integer sample rate, got ${r}`);
  }
  if (fromRate === toRate) return Float32Array.from(samples);
  const zeroCrossings = options.zeroCrossings ?? 24;
  const rolloff = options.rolloff ?? 0.94;
  const beta = options.kaiserBeta ?? 8.6;
  const g = gcd(fromRate, toRate);
  const up = toRate / g; // output phases per input step group
  const down = fromRate / g;
  const cutoff = rolloff * Math.min(1, toRate / fromRate); // fraction of the input Nyquist
  const half = Math.ceil(zeroCrossings / cutoff); // kernel half-length in input samples
  const taps = 2 * half;
  const i0Beta = besselI0(beta);
  const kernel = (d: number): number => {
    const r = d / (half + 1e-9);
    if (r <= -1 || r >= 1) return 0;
    const x = cutoff * d;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    return cutoff * sinc * (besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta);
  };
  const outLength = Math.ceil((samples.length * up) / down);
  const out = new Float32Array(outLength);
  const n = samples.length;
  const tabulate = up * taps <= MAX_TABLE_ENTRIES;
  let table: Float32Array | null = null;
  if (tabulate) {
    table = new Float32Array(up * taps);
    for (let p = 0; p < up; p++) {
      const frac = p / up;
      for (let j = 0; j < taps; j++) table[p * taps + j] = kernel(j - half + 1 - frac);
    }
  }
  const weights = new Float32Array(taps);
  for (let o = 0; o < outLength; o++) {
    const num = o * down;
    const k0 = Math.floor(num / up);
    const phase = num - k0 * up;
    let w: Float32Array;
    if (table) {
      w = table.subarray(phase * taps, (phase + 1) * taps);
    } else {
      const frac = phase / up;
      for (let j = 0; j < taps; j++) weights[j] = kernel(j - half + 1 - frac);
      w = weights;
    }
    const start = k0 - half + 1;
    let acc = 0;
    const jFrom = Math.max(0, -start);
    const jTo = Math.min(taps, n - start);
    for (let j = jFrom; j < jTo; j++) acc += samples[start + j]! * w[j]!;
    out[o] = acc;
  }
  return out;
}
