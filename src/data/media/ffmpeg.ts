// ffmpeg/ffprobe through execa with an argv list (never a shell): probe a media file, decode a span of its
// audio to mono float samples, grab one center-cropped square frame. The binaries come from SONIC_FFMPEG /
// SONIC_FFPROBE, else ffprobe beside SONIC_FFMPEG, else PATH.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { execa } from 'execa';
import type { RgbImage } from './image.js';

export const FFMPEG_INSTALL_HINT = 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg';

/** ffmpeg or ffprobe cannot be started: a setup problem, not a media problem. */
export class FfmpegMissingError extends Error {}

/** ffmpeg ran but could not read the file or produce what was asked (corrupt, truncated, no such stream…). */
export class MediaDecodeError extends Error {
  constructor(readonly file: string, readonly reason: string) {
    super(`${file}: ${reason}`);
  }
}

export interface FfmpegBinaries {
  ffmpeg: string;
  ffprobe: string;
}

export function ffmpegBinaries(env: NodeJS.ProcessEnv = process.env): FfmpegBinaries {
  const ffmpeg = env.SONIC_FFMPEG?.trim() || 'ffmpeg';
  let ffprobe = env.SONIC_FFPROBE?.trim() || 'ffprobe';
  if (!env.SONIC_FFPROBE?.trim() && env.SONIC_FFMPEG?.trim()) {
    const sibling = join(dirname(ffmpeg), basename(ffmpeg).replace(/ffmpeg/i, 'ffprobe'));
    if (sibling !== ffmpeg && existsSync(sibling)) ffprobe = sibling;
  }
  return { ffmpeg, ffprobe };
}

function missingMessage(which: 'ffmpeg' | 'ffprobe', bin: string): string {
  const variable = which === 'ffmpeg' ? 'SONIC_FFMPEG' : 'SONIC_FFPROBE (or SONIC_FFMPEG, with ffprobe beside it)';
  return `${which} not found (tried '${bin}'). Install it (Debian/Ubuntu: ${FFMPEG_INSTALL_HINT}) or set ${variable} to the binary's path.`;
}

interface RunResult {
  stdout: Uint8Array;
  stderr: string;
}

const MAX_OUTPUT_BYTES = 2 ** 31 - 1;

async function run(which: 'ffmpeg' | 'ffprobe', file: string, args: string[], signal?: AbortSignal): Promise<RunResult> {
  const bin = ffmpegBinaries()[which];
  const r = await execa(bin, args, { reject: false, encoding: 'buffer', stdin: 'ignore', maxBuffer: MAX_OUTPUT_BYTES, ...(signal ? { cancelSignal: signal } : {}) });
  const stderr = Buffer.from(r.stderr as Uint8Array).toString('utf8');
  if (r.isCanceled) throw signal?.reason instanceof Error ? signal.reason : new Error(`${which} cancelled`);
  if (r.failed) {
    if ((r as { code?: string }).code === 'ENOENT' || (r as { code?: string }).code === 'EACCES') throw new FfmpegMissingError(missingMessage(which, bin));
    throw new MediaDecodeError(file, lastLines(stderr.split(`${file}: `).join('')) || r.shortMessage || `${which} failed`);
  }
  return { stdout: r.stdout as Uint8Array, stderr };
}

/** The informative tail of ffmpeg's stderr, with the input path shortened out. */
function lastLines(stderr: string): string {
  const lines = stderr.split(/\r?\n/).map((l) => l.replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/, '').trim()).filter(Boolean);
  return lines.slice(-2).join('; ');
}

const availability = new Map<string, Promise<boolean>>();

/** Whether ffmpeg and ffprobe both start (cached per binary pair). */
export function ffmpegAvailable(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const bins = ffmpegBinaries(env);
  const key = `${bins.ffmpeg}\0${bins.ffprobe}`;
  let p = availability.get(key);
  if (!p) {
    const starts = async (bin: string) => !(await execa(bin, ['-version'], { reject: false, stdin: 'ignore' })).failed;
    p = Promise.all([starts(bins.ffmpeg), starts(bins.ffprobe)]).then(([a, b]) => a && b);
    availability.set(key, p);
  }
  return p;
}

/** Throws FfmpegMissingError naming SONIC_FFMPEG and the apt command when ffmpeg or ffprobe is missing. */
export async function requireFfmpeg(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (await ffmpegAvailable(env)) return;
  const bins = ffmpegBinaries(env);
  const ffmpegOk = !(await execa(bins.ffmpeg, ['-version'], { reject: false, stdin: 'ignore' })).failed;
  throw new FfmpegMissingError(ffmpegOk ? missingMessage('ffprobe', bins.ffprobe) : missingMessage('ffmpeg', bins.ffmpeg));
}

export interface MediaInfo {
  /** Container duration in seconds (0 when unknown). */
  durationSeconds: number;
  video?: { width: number; height: number; durationSeconds: number };
  audio?: { sampleRate: number; channels: number; durationSeconds: number };
}

const num = (v: unknown): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : 0;
};

export async function probeMedia(file: string, signal?: AbortSignal): Promise<MediaInfo> {
  const { stdout } = await run('ffprobe', file, ['-v', 'error', '-show_entries', 'format=duration:stream=codec_type,width,height,sample_rate,channels,duration', '-of', 'json', file], signal);
  let parsed: { format?: { duration?: unknown }; streams?: Array<Record<string, unknown>> };
  try {
    parsed = JSON.parse(Buffer.from(stdout).toString('utf8')) as typeof parsed;
  } catch {
    throw new MediaDecodeError(file, 'ffprobe printed no readable description');
  }
  const duration = num(parsed.format?.duration);
  const info: MediaInfo = { durationSeconds: duration };
  for (const s of parsed.streams ?? []) {
    const streamDuration = num(s.duration) || duration;
    if (s.codec_type === 'video' && !info.video && num(s.width) > 0) info.video = { width: num(s.width), height: num(s.height), durationSeconds: streamDuration };
    if (s.codec_type === 'audio' && !info.audio) info.audio = { sampleRate: num(s.sample_rate), channels: num(s.channels), durationSeconds: streamDuration };
  }
  if (!info.video && !info.audio) throw new MediaDecodeError(file, 'no audio or video stream');
  return info;
}

export interface AudioSpan {
  sampleRate: number;
  /** Seconds from the start; default 0. */
  start?: number;
  /** Seconds; default to the end of the stream. */
  duration?: number;
}

/** Decode (a span of) the first audio stream to mono float32 at `sampleRate` (soxr resampler). */
export async function decodeAudio(file: string, span: AudioSpan, signal?: AbortSignal): Promise<Float32Array> {
  const args = ['-nostdin', '-v', 'error'];
  if (span.start && span.start > 0) args.push('-ss', span.start.toFixed(6));
  if (span.duration !== undefined) args.push('-t', span.duration.toFixed(6));
  args.push('-i', file, '-map', '0:a:0', '-vn', '-ac', '1', '-af', 'aresample=resampler=soxr', '-ar', String(span.sampleRate), '-f', 'f32le', 'pipe:1');
  const { stdout } = await run('ffmpeg', file, args, signal);
  const n = Math.floor(stdout.byteLength / 4);
  const out = new Float32Array(n);
  const view = new DataView(stdout.buffer, stdout.byteOffset, n * 4);
  for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** The frame at `time` seconds, center-cropped to a square and resized to size×size (RGB, HWC). */
export async function grabSquareFrame(file: string, time: number, size: number, signal?: AbortSignal): Promise<RgbImage<Uint8Array>> {
  const filter = `crop='min(iw,ih)':'min(iw,ih)',scale=${size}:${size}:flags=area,setsar=1`;
  const args = ['-nostdin', '-v', 'error'];
  if (time > 0) args.push('-ss', time.toFixed(6));
  args.push('-i', file, '-map', '0:v:0', '-frames:v', '1', '-vf', filter, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1');
  const { stdout } = await run('ffmpeg', file, args, signal);
  const expected = size * size * 3;
  if (stdout.byteLength < expected) throw new MediaDecodeError(file, `no video frame at ${time.toFixed(2)} s`);
  return { width: size, height: size, data: Uint8Array.from(stdout.subarray(0, expected)) };
}

/** Run ffmpeg with the given arguments (e.g. to render fixtures); throws MediaDecodeError on failure. */
export async function runFfmpeg(args: string[], signal?: AbortSignal): Promise<void> {
  await run('ffmpeg', args[args.length - 1] ?? '<ffmpeg>', ['-nostdin', '-v', 'error', ...args], signal);
}
