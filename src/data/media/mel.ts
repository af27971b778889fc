// Log-mel spectrogram: STFT (periodic Hann window, optional centre reflect padding), power spectrum,
// mel filterbank (HTK or Slaney scale, optional Slaney area normalisation, librosa's construction),
// then log with a floor. Output is frame-major: data[frame * nMels + mel].
import { Fft } from './fft.js';

export class MelError extends Error {}

export type MelScale = 'htk' | 'slaney';

export interface MelFilterbankOptions {
  sampleRate: number;
  nFft: number;
  nMels: number;
  fMin?: number;
  /** Default sampleRate / 2. */
  fMax?: number;
  /** Default 'slaney' (librosa's default, used by PANNs/CLAP). */
  melScale?: MelScale;
  /** 'slaney' divides each triangle by its width in Hz (librosa norm='slaney'); default 'slaney'. */
  norm?: 'slaney' | 'none';
}

export interface MelSpectrogramOptions extends MelFilterbankOptions {
  hop: number;
  /** Pad nFft/2 on both sides by reflection so frame t is centred on sample t·hop. Default true. */
  center?: boolean;
  /** 'db' = 10·log10(max(p, amin)) (PANNs/CLAP style), 'ln' = ln(max(p, amin)), 'none' = power. Default 'db'. */
  log?: 'db' | 'ln' | 'none';
  /** Floor applied before the log. Default 1e-10. */
  amin?: number;
}

export interface MelSpectrogram {
  frames: number;
  nMels: number;
  /** Frame-major values, length frames * nMels. */
  data: Float32Array;
}

export function hzToMel(hz: number, scale: MelScale): number {
  if (scale === 'htk') return 2595 * Math.log10(1 + hz / 700);
  const fSp = 200 / 3;
  const minLogHz = 1000;
  const minLogMel = minLogHz / fSp;
  const logStep = Math.log(6.4) / 27;
  return hz >= minLogHz ? minLogMel + Math.log(hz / minLogHz) / logStep : hz / fSp;
}

export function melToHz(mel: number, scale: MelScale): number {
  if (scale === 'htk') return 700 * (Math.pow(10, mel / 2595) - 1);
  const fSp = 200 / 3;
  const minLogHz = 1000;
  const minLogMel = minLogHz / fSp;
  const logStep = Math.log(6.4) / 27;
  return mel >= minLogMel ? minLogHz * Math.exp(logStep * (mel - minLogMel)) : fSp * mel;
}

function checkPositiveInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new MelError(`mel: ${name} must be a positive integer, got ${v}`);
}

/** Mel filterbank as nMels rows of nFft/2+1 weights (row-major). */
export function melFilterbank(options: MelFilterbankOptions): Float32Array {
  const { sampleRate, nFft, nMels } = options;
  checkPositiveInt('sampleRate', sampleRate);
  checkPositiveInt('nFft', nFft);
  checkPositiveInt('nMels', nMels);
  const fMin = options.fMin ?? 0;
  const fMax = options.fMax ?? sampleRate / 2;
  if (!(fMin >= 0 && fMax > fMin && fMax <= sampleRate / 2)) {
    throw new MelError(`mel: need 0 ≤ fMin < fMax ≤ sampleRate/2 (${sampleRate / 2}), got fMin=${fMin}, fMax=${fMax}`);
  }
  const scale = options.melScale ?? 'slaney';
  const nBins = Math.floor(nFft / 2) + 1;
  const melMin = hzToMel(fMin, scale);
  const melMax = hzToMel(fMax, scale);
  const edges = new Float64Array(nMels + 2);
  for (let i = 0; i < nMels + 2; i++) edges[i] = melToHz(melMin + ((melMax - melMin) * i) / (nMels + 1), scale);
  const weights = new Float32Array(nMels * nBins);
  for (let m = 0; m < nMels; m++) {
    const lo = edges[m]!;
    const mid = edges[m + 1]!;
    const hi = edges[m + 2]!;
    const enorm = options.norm === 'none' ? 1 : 2 / (hi - lo);
    for (let b = 0; b < nBins; b++) {
      const f = (b * sampleRate) / nFft;
      const lower = (f - lo) / (mid - lo);
      const upper = (hi - f) / (hi - mid);
      const w = Math.max(0, Math.min(lower, upper));
      weights[m * nBins + b] = w * enorm;
    }
  }
  return weights;
}

/** Periodic Hann window (torch.hann_window default, scipy 'hann' with sym=False). */
export function hannWindow(length: number): Float64Array {
  const w = new Float64Array(length);
  for (let i = 0; i < length; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / length);
  return w;
}

function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let j = ((i % period) + period) % period;
  if (j >= n) j = period - j;
  return j;
}

/** Power spectrogram frames (frame-major, nFft/2+1 bins each). */
export function powerSpectrogram(samples: Float32Array, nFft: number, hop: number, center = true): { frames: number; bins: number; data: Float32Array } {
  checkPositiveInt('hop', hop);
  const fft = new Fft(nFft);
  const pad = center ? nFft >> 1 : 0;
  const paddedLength = samples.length + 2 * pad;
  if (samples.length === 0) throw new MelError('mel: cannot compute a spectrogram of an empty signal');
  if (paddedLength < nFft) throw new MelError(`mel: signal of ${samples.length} samples is shorter than nFft=${nFft} (use center=true or a smaller nFft)`);
  const frames = 1 + Math.floor((paddedLength - nFft) / hop);
  const bins = (nFft >> 1) + 1;
  const win = hannWindow(nFft);
  const re = new Float64Array(nFft);
  const im = new Float64Array(nFft);
  const out = new Float32Array(frames * bins);
  for (let t = 0; t < frames; t++) {
    const start = t * hop - pad;
    for (let i = 0; i < nFft; i++) {
      const k = start + i;
      const idx = k >= 0 && k < samples.length ? k : reflectIndex(k, samples.length);
      re[i] = samples[idx]! * win[i]!;
      im[i] = 0;
    }
    fft.transform(re, im);
    for (let b = 0; b < bins; b++) out[t * bins + b] = re[b]! * re[b]! + im[b]! * im[b]!;
  }
  return { frames, bins, data: out };
}

export function logMelSpectrogram(samples: Float32Array, options: MelSpectrogramOptions): MelSpectrogram {
  const fb = melFilterbank(options);
  const spec = powerSpectrogram(samples, options.nFft, options.hop, options.center ?? true);
  const { nMels } = options;
  const amin = options.amin ?? 1e-10;
  const mode = options.log ?? 'db';
  const data = new Float32Array(spec.frames * nMels);
  for (let t = 0; t < spec.frames; t++) {
    const row = t * spec.bins;
    for (let m = 0; m < nMels; m++) {
      const w = m * spec.bins;
      let acc = 0;
      for (let b = 0; b < spec.bins; b++) {
        const wt = fb[w + b]!;
        if (wt !== 0) acc += wt * spec.data[row + b]!;
      }
      data[t * nMels + m] = mode === 'db' ? 10 * Math.log10(Math.max(acc, amin)) : mode === 'ln' ? Math.log(Math.max(acc, amin)) : acc;
    }
  }
  return { frames: spec.frames, nMels, data };
}
