// Host-side inputs of the toy towers: manifest media into the interfaces' AudioClip / RgbImage, images into
// NHWC batches, and clips into fixed-length, standardised log-mel "images" [frames, mels, 1].
import * as tf from '@tensorflow/tfjs-core';
import { logMelSpectrogram, readPng, readWav, resample, toFloatImage } from '../../data/media/index.js';
import type { AudioClip, RgbImage } from '../interfaces.js';

export function loadImages(rows: readonly { imagePath: string }[]): RgbImage[] {
  return rows.map((r) => {
    const img = toFloatImage(readPng(r.imagePath));
    return { width: img.width, height: img.height, data: img.data };
  });
}

export function loadClips(rows: readonly { audioPath: string }[]): AudioClip[] {
  return rows.map((r) => {
    const wav = readWav(r.audioPath);
    return { samples: wav.samples, sampleRate: wav.sampleRate };
  });
}

/** [B, size, size, 3]; every image must already be size×size (the toy world renders them so). */
export function imageBatch(images: readonly RgbImage[], size: number, flip?: readonly boolean[]): tf.Tensor4D {
  const per = size * size * 3;
  const data = new Float32Array(images.length * per);
  images.forEach((img, i) => {
    if (img.width !== size || img.height !== size) throw new Error(`toy image encoder: expected ${size}×${size} images, got ${img.width}×${img.height} (image ${i})`);
    if (!(img.data instanceof Float32Array)) throw new Error(`toy image encoder: image ${i} must hold Float32 values in [0, 1] (convert 8-bit images with toFloatImage)`);
    if (img.data.length !== per) throw new Error(`toy image encoder: image ${i} has ${img.data.length} values, expected ${per}`);
    if (!flip?.[i]) data.set(img.data, i * per);
    else {
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const src = (y * size + (size - 1 - x)) * 3;
          const dst = i * per + (y * size + x) * 3;
          data[dst] = img.data[src]!;
          data[dst + 1] = img.data[src + 1]!;
          data[dst + 2] = img.data[src + 2]!;
        }
      }
    }
  });
  return tf.tensor4d(data, [images.length, size, size, 3]);
}

export interface MelFrontEnd {
  sampleRate: number;
  /** Clips are cropped or zero-padded to this many samples before the STFT. */
  clipSamples: number;
  nFft: number;
  hop: number;
  nMels: number;
  /** dB standardisation (x − mean) / std, estimated on the training clips. */
  mean: number;
  std: number;
}

export function melFrames(f: MelFrontEnd): number {
  return 1 + Math.floor(f.clipSamples / f.hop); // centred STFT
}

/** Unstandardised log-mel (dB), frame-major [frames·nMels]. */
export function rawLogMel(clip: AudioClip, f: Omit<MelFrontEnd, 'mean' | 'std'>): Float32Array {
  let samples = clip.samples;
  if (clip.sampleRate !== f.sampleRate) samples = resample(samples, clip.sampleRate, f.sampleRate);
  const fixed = new Float32Array(f.clipSamples);
  fixed.set(samples.subarray(0, f.clipSamples));
  return logMelSpectrogram(fixed, { sampleRate: f.sampleRate, nFft: f.nFft, hop: f.hop, nMels: f.nMels, log: 'db' }).data;
}

/** Mean and standard deviation of the dB values over the given clips (for MelFrontEnd.mean/std). */
export function melStatistics(mels: readonly Float32Array[]): { mean: number; std: number } {
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (const m of mels) for (const v of m) {
    sum += v;
    sq += v * v;
    n++;
  }
  const mean = sum / Math.max(n, 1);
  return { mean, std: Math.sqrt(Math.max(sq / Math.max(n, 1) - mean * mean, 1e-6)) };
}

/** [B, frames, nMels, 1] standardised log-mel batch. */
export function melBatch(mels: readonly Float32Array[], f: MelFrontEnd): tf.Tensor4D {
  const frames = melFrames(f);
  const per = frames * f.nMels;
  const data = new Float32Array(mels.length * per);
  mels.forEach((m, i) => {
    if (m.length !== per) throw new Error(`toy audio encoder: log-mel ${i} has ${m.length} values, expected ${frames}×${f.nMels}`);
    for (let j = 0; j < per; j++) data[i * per + j] = (m[j]! - f.mean) / f.std;
  });
  return tf.tensor4d(data, [mels.length, frames, f.nMels, 1]);
}
