// Wav2CLIP front end as SonicDiffusion's evaluation.py runs it (spec §8): the clip is loaded at 44.1 kHz
// (not Wav2CLIP's native 16 kHz: mirrored on purpose), right-zero-padded to 442,763 samples, then the
// ResNet's own front: torchaudio Spectrogram(n_fft 512, hop 353, periodic Hann, centre reflect, power 2)
// → log(x + 1e-7) → (x − mean) / (std + 1e-9) with the unbiased std over the whole [257, T] map.
// Upstream standardises over the whole batch tensor; evaluation.py embeds one clip at a time, which is
// what this per-clip standardisation reproduces.
import type { AudioClip } from '../interfaces.js';
import { padRight } from './clip-length.js';
import { resample } from './resample.js';
import { powerSpectrogram } from './stft.js';

export const WAV2CLIP_EVAL = { sampleRate: 44100, minSamples: 442763, nFft: 512, hop: 353 } as const;
export const WAV2CLIP_BINS = WAV2CLIP_EVAL.nFft / 2 + 1;

/** Standardised log power spectrogram, [257·frames] bin-major (the [1, 257, T] slice of the graph input). */
export function wav2clipFeatures(waveform: Float32Array): { frames: number; data: Float32Array } {
  const spec = powerSpectrogram(waveform, WAV2CLIP_EVAL.nFft, WAV2CLIP_EVAL.hop);
  const { frames, bins } = spec;
  const logs = new Float64Array(frames * bins);
  let sum = 0;
  for (let i = 0; i < logs.length; i++) {
    logs[i] = Math.log(spec.power[i]! + 1e-7);
    sum += logs[i]!;
  }
  const mean = sum / logs.length;
  let sq = 0;
  for (let i = 0; i < logs.length; i++) sq += (logs[i]! - mean) ** 2;
  const std = Math.sqrt(sq / (logs.length - 1));
  const out = new Float32Array(frames * bins);
  for (let f = 0; f < frames; f++) {
    for (let k = 0; k < bins; k++) out[k * frames + f] = (logs[f * bins + k]! - mean) / (std + 1e-9);
  }
  return { frames, data: out };
}

export function wav2clipFrontEnd(clip: AudioClip): { frames: number; data: Float32Array } {
  const at44k = resample(clip.samples, clip.sampleRate, WAV2CLIP_EVAL.sampleRate);
  return wav2clipFeatures(padRight(at44k, WAV2CLIP_EVAL.minSamples));
}
