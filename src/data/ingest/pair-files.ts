// One pair's output files: audio/<id>.wav (mono PCM16) and images/<id>.png. A pair counts as already
// extracted only when both files are complete for the current settings (files are written atomically, so
// a present file is whole; the checks also catch files from a run with another rate, size or window).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../media/atomic-write.js';
import { decodeAudio, grabSquareFrame, MediaDecodeError } from '../media/ffmpeg.js';
import { encodePng } from '../media/png.js';
import { decodeWav, encodeWav } from '../media/wav.js';
import { clipIntensity } from './intensity.js';

export interface PairPlan {
  id: string;
  /** Absolute path of the video the frame comes from. */
  videoPath: string;
  /** Absolute path of the media the audio comes from (usually the video). */
  audioPath: string;
  /** Audio span in seconds; duration undefined = to the end of the stream. */
  start: number;
  duration: number | undefined;
  frameTime: number;
}

export interface PairSettings {
  outDir: string;
  sampleRate: number;
  frameSize: number;
  signal?: AbortSignal;
}

export interface PairResult {
  reused: boolean;
  intensity: number;
  /** Audio length in seconds. */
  duration: number;
}

export const pairAudioPath = (id: string) => `audio/${id}.wav`;
export const pairImagePath = (id: string) => `images/${id}.png`;

/** Samples of a complete mono WAV at `sampleRate` (with `length` samples when given), else undefined. */
function completeWav(path: string, sampleRate: number, length: number | undefined): Float32Array | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return undefined;
  }
  try {
    const wav = decodeWav(bytes, path);
    if (wav.sampleRate !== sampleRate || wav.channels !== 1 || wav.samples.length === 0) return undefined;
    if (length !== undefined && wav.samples.length !== length) return undefined;
    return wav.samples;
  } catch {
    return undefined;
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_IEND = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

/** A PNG that starts with the signature and IHDR of a size×size image and ends with IEND. */
function completePng(path: string, size: number): boolean {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return false;
  }
  return bytes.length > 45 && bytes.subarray(0, 8).equals(PNG_SIGNATURE) && bytes.toString('latin1', 12, 16) === 'IHDR' &&
    bytes.readUInt32BE(16) === size && bytes.readUInt32BE(20) === size && bytes.subarray(bytes.length - 12).equals(PNG_IEND);
}

/** Extract (or reuse) one pair. Throws MediaDecodeError when the source cannot give the audio or the frame. */
export async function extractPair(plan: PairPlan, s: PairSettings): Promise<PairResult> {
  const wavPath = join(s.outDir, pairAudioPath(plan.id));
  const pngPath = join(s.outDir, pairImagePath(plan.id));
  const expected = plan.duration !== undefined ? Math.round(plan.duration * s.sampleRate) : undefined;
  let samples = completeWav(wavPath, s.sampleRate, expected);
  const imageOk = completePng(pngPath, s.frameSize);
  const reused = samples !== undefined && imageOk;
  if (!samples) {
    let decoded = await decodeAudio(plan.audioPath, { sampleRate: s.sampleRate, start: plan.start, ...(plan.duration !== undefined ? { duration: plan.duration } : {}) }, s.signal);
    if (decoded.length === 0) throw new MediaDecodeError(plan.audioPath, `no audio samples${plan.start > 0 ? ` from ${plan.start.toFixed(2)} s` : ''}`);
    if (expected !== undefined && decoded.length !== expected) {
      // Codec padding and priming make a window a few ms short or long; a real gap is an error.
      if (decoded.length < 0.9 * expected) throw new MediaDecodeError(plan.audioPath, `audio ends ${(decoded.length / s.sampleRate).toFixed(2)} s into the ${plan.duration} s window at ${plan.start.toFixed(2)} s`);
      const exact = new Float32Array(expected);
      exact.set(decoded.subarray(0, expected));
      decoded = exact;
    }
    const bytes = encodeWav(decoded, s.sampleRate, { encoding: 'pcm16' });
    await writeFileAtomic(wavPath, bytes);
    samples = decodeWav(bytes).samples; // the stored (quantised) samples, so a rerun computes the same intensity
  }
  if (!imageOk) {
    const frame = await grabSquareFrame(plan.videoPath, plan.frameTime, s.frameSize, s.signal);
    await writeFileAtomic(pngPath, encodePng(frame));
  }
  return { reused, intensity: clipIntensity(samples), duration: samples.length / s.sampleRate };
}
