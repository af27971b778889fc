// Power spectrogram as torch.stft / librosa.stft compute it with center=True, pad_mode='reflect' and a
// periodic Hann window of length n_fft: frames = 1 + floor(len / hop), bins = n_fft/2 + 1.
import { Fft } from '../../data/media/fft.js';

export interface PowerSpectrogram {
  frames: number;
  bins: number;
  /** [frames·bins], frame-major. */
  power: Float64Array;
}

export function periodicHann(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}

function reflectIndex(i: number, n: number): number {
  // numpy 'reflect' (edge sample not repeated); signals here are longer than the pad.
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let j = ((i % period) + period) % period;
  if (j >= n) j = period - j;
  return j;
}

export function powerSpectrogram(signal: Float32Array | Float64Array, nFft: number, hop: number): PowerSpectrogram {
  if (signal.length === 0) throw new Error('powerSpectrogram: empty signal');
  const pad = nFft / 2;
  const frames = 1 + Math.floor(signal.length / hop);
  const bins = nFft / 2 + 1;
  const window = periodicHann(nFft);
  const fft = new Fft(nFft);
  const re = new Float64Array(nFft);
  const im = new Float64Array(nFft);
  const power = new Float64Array(frames * bins);
  for (let f = 0; f < frames; f++) {
    const start = f * hop - pad;
    for (let i = 0; i < nFft; i++) {
      const idx = start + i;
      const s = idx >= 0 && idx < signal.length ? signal[idx]! : signal[reflectIndex(idx, signal.length)]!;
      re[i] = s * window[i]!;
      im[i] = 0;
    }
    fft.transform(re, im);
    const row = f * bins;
    for (let k = 0; k < bins; k++) power[row + k] = re[k]! * re[k]! + im[k]! * im[k]!;
  }
  return { frames, bins, power };
}
