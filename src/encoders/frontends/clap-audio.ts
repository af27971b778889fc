// MS-CLAP 2022 audio front end (spec §2): mono clip → 44.1 kHz → 10 s (tile / crop) → log-mel
// [frames, 64] exactly as torchlibrosa's Spectrogram + LogmelFilterBank inside msclap's Cnn14
// (n_fft 1024, hop 320, periodic Hann, centre reflect pad, power 2, Slaney mel 50–14000 Hz,
// 10·log10(max(x, 1e-10)), ref 1, no top_db). The ONNX graph starts at Cnn14's bn0.
import type { AudioClip } from '../interfaces.js';
import { type CropPolicy, tileOrCrop } from './clip-length.js';
import { slaneyMelFilterbank } from './mel.js';
import { resample } from './resample.js';
import { powerSpectrogram } from './stft.js';

export const CLAP_2022 = {
  sampleRate: 44100,
  durationSeconds: 10,
  nFft: 1024,
  hop: 320,
  melBins: 64,
  fmin: 50,
  fmax: 14000,
  amin: 1e-10,
} as const;

export const CLAP_SAMPLES = CLAP_2022.sampleRate * CLAP_2022.durationSeconds; // 441000
export const CLAP_FRAMES = 1 + Math.floor(CLAP_SAMPLES / CLAP_2022.hop); // 1379

let cachedMel: Float64Array | null = null;
function melWeights(): Float64Array {
  cachedMel ??= slaneyMelFilterbank(CLAP_2022.sampleRate, CLAP_2022.nFft, CLAP_2022.melBins, CLAP_2022.fmin, CLAP_2022.fmax);
  return cachedMel;
}

/** Log-mel of a 44.1 kHz waveform of any length: [frames·64], frame-major. */
export function clapLogMel(waveform: Float32Array): { frames: number; data: Float32Array } {
  const spec = powerSpectrogram(waveform, CLAP_2022.nFft, CLAP_2022.hop);
  const mel = melWeights();
  const nMels = CLAP_2022.melBins;
  const out = new Float32Array(spec.frames * nMels);
  for (let f = 0; f < spec.frames; f++) {
    const row = f * spec.bins;
    for (let m = 0; m < nMels; m++) {
      const w = m * spec.bins;
      let acc = 0;
      for (let k = 0; k < spec.bins; k++) {
        const wk = mel[w + k]!;
        if (wk !== 0) acc += wk * spec.power[row + k]!;
      }
      out[f * nMels + m] = 10 * Math.log10(Math.max(acc, CLAP_2022.amin));
    }
  }
  return { frames: spec.frames, data: out };
}

/** Resample to 44.1 kHz and fit to exactly 10 s. */
export function clapWaveform(clip: AudioClip, crop: CropPolicy): Float32Array {
  const at44k = resample(clip.samples, clip.sampleRate, CLAP_2022.sampleRate);
  return tileOrCrop(at44k, CLAP_SAMPLES, crop);
}

/** The whole front end: [1379·64] log-mel per clip (the [1, T, 64] slice of the graph's [B,1,T,64] input). */
export function clapFrontEnd(clip: AudioClip, crop: CropPolicy): Float32Array {
  const { frames, data } = clapLogMel(clapWaveform(clip, crop));
  if (frames !== CLAP_FRAMES) throw new Error(`CLAP front end produced ${frames} frames, expected ${CLAP_FRAMES}`);
  return data;
}
