// WAV (RIFF/WAVE) decoding and encoding. Decoding accepts integer PCM (8/16/24/32-bit), IEEE float
// (32/64-bit) and WAVE_FORMAT_EXTENSIBLE wrapping either; all channels are averaged to mono.
import { readFileSync } from 'node:fs';
import { writeFileAtomicSync } from './atomic-write.js';

export class WavError extends Error {}

export type WavEncoding = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32' | 'float64';

export interface WavAudio {
  /** Mono samples in [-1, 1] (channels averaged). */
  samples: Float32Array;
  sampleRate: number;
  /** Channel count and encoding of the file, for information. */
  channels: number;
  encoding: WavEncoding;
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;

function encodingOf(format: number, bits: number, where: string): WavEncoding {
  if (format === FORMAT_PCM) {
    if (bits === 8) return 'pcm8';
    if (bits === 16) return 'pcm16';
    if (bits === 24) return 'pcm24';
    if (bits === 32) return 'pcm32';
  } else if (format === FORMAT_FLOAT) {
    if (bits === 32) return 'float32';
    if (bits === 64) return 'float64';
  }
  throw new WavError(`${where}: unsupported WAV sample format (format tag ${format}, ${bits} bits); expected integer PCM 8/16/24/32-bit or float 32/64-bit`);
}

/** Decode WAV bytes; `name` is used in error messages (usually the file path). */
export function decodeWav(bytes: Uint8Array, name = '<buffer>'): WavAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (o: number) => String.fromCharCode(bytes[o]!, bytes[o + 1]!, bytes[o + 2]!, bytes[o + 3]!);
  if (bytes.byteLength < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') {
    throw new WavError(`${name}: not a WAV file (expected a RIFF/WAVE header)`);
  }
  let fmt: { format: number; channels: number; sampleRate: number; blockAlign: number; bits: number } | null = null;
  let data: { offset: number; size: number } | null = null;
  let pos = 12;
  while (pos + 8 <= bytes.byteLength) {
    const id = tag(pos);
    const size = view.getUint32(pos + 4, true);
    const body = pos + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.byteLength) throw new WavError(`${name}: truncated 'fmt ' chunk`);
      let format = view.getUint16(body, true);
      const bits = view.getUint16(body + 14, true);
      if (format === FORMAT_EXTENSIBLE) {
        if (size < 40 || body + 40 > bytes.byteLength) throw new WavError(`${name}: WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is shorter than 40 bytes`);
        format = view.getUint16(body + 24, true); // first two bytes of the SubFormat GUID
      }
      fmt = { format, channels: view.getUint16(body + 2, true), sampleRate: view.getUint32(body + 4, true), blockAlign: view.getUint16(body + 12, true), bits };
    } else if (id === 'data') {
      // Streaming writers may leave the size as 0 or 0xFFFFFFFF; take what the file holds.
      const available = bytes.byteLength - body;
      data = { offset: body, size: size === 0 || size > available ? available : size };
      if (fmt) break;
    }
    pos = body + size + (size & 1);
  }
  if (!fmt) throw new WavError(`${name}: WAV file has no 'fmt ' chunk`);
  if (!data) throw new WavError(`${name}: WAV file has no 'data' chunk`);
  const encoding = encodingOf(fmt.format, fmt.bits, name);
  const bytesPerSample = fmt.bits / 8;
  if (fmt.channels < 1) throw new WavError(`${name}: WAV header declares ${fmt.channels} channels`);
  if (fmt.sampleRate < 1) throw new WavError(`${name}: WAV header declares sample rate ${fmt.sampleRate}`);
  const blockAlign = fmt.blockAlign || bytesPerSample * fmt.channels;
  if (blockAlign < bytesPerSample * fmt.channels) throw new WavError(`${name}: block align ${blockAlign} is too small for ${fmt.channels} × ${fmt.bits}-bit samples`);
  const frames = Math.floor(data.size / blockAlign);
  const samples = new Float32Array(frames);
  const read = sampleReader(view, encoding);
  for (let f = 0; f < frames; f++) {
    let acc = 0;
    const base = data.offset + f * blockAlign;
    for (let c = 0; c < fmt.channels; c++) acc += read(base + c * bytesPerSample);
    samples[f] = acc / fmt.channels;
  }
  return { samples, sampleRate: fmt.sampleRate, channels: fmt.channels, encoding };
}

function sampleReader(view: DataView, encoding: WavEncoding): (offset: number) => number {
  switch (encoding) {
    case 'pcm8':
      return (o) => (view.getUint8(o) - 128) / 128;
    case 'pcm16':
      return (o) => view.getInt16(o, true) / 32768;
    case 'pcm24':
      return (o) => {
        const v = view.getUint8(o) | (view.getUint8(o + 1) << 8) | (view.getInt8(o + 2) << 16);
        return v / 8388608;
      };
    case 'pcm32':
      return (o) => view.getInt32(o, true) / 2147483648;
    case 'float32':
      return (o) => view.getFloat32(o, true);
    case 'float64':
      return (o) => view.getFloat64(o, true);
  }
}

export function readWav(path: string): WavAudio {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new WavError(`${path}: cannot read WAV file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return decodeWav(bytes, path);
}

export interface WavEncodeOptions {
  /** Default 'float32'. */
  encoding?: WavEncoding;
  /** Write a WAVE_FORMAT_EXTENSIBLE header instead of the plain one. Default false. */
  extensible?: boolean;
}

const BITS: Record<WavEncoding, number> = { pcm8: 8, pcm16: 16, pcm24: 24, pcm32: 32, float32: 32, float64: 64 };

/**
 * Encode one or more channels (equal lengths) as WAV bytes. Integer encodings clip to [-1, 1] and round.
 */
export function encodeWav(channels: Float32Array | Float32Array[], sampleRate: number, options: WavEncodeOptions = {}): Buffer {
  const chans = Array.isArray(channels) ? channels : [channels];
  if (chans.length === 0) throw new WavError('encodeWav: at least one channel is required');
  const frames = chans[0]!.length;
  if (chans.some((c) => c.length !== frames)) throw new WavError('encodeWav: all channels must have the same length');
  if (!Number.isInteger(sampleRate) || sampleRate < 1) throw new WavError(`encodeWav: sample rate must be a positive integer, got ${sampleRate}`);
  const encoding = options.encoding ?? 'float32';
  const bits = BITS[encoding];
  const isFloat = encoding === 'float32' || encoding === 'float64';
  const bytesPerSample = bits / 8;
  const blockAlign = bytesPerSample * chans.length;
  const dataSize = frames * blockAlign;
  const fmtSize = options.extensible ? 40 : isFloat ? 18 : 16;
  const needsFact = isFloat || options.extensible;
  const total = 12 + 8 + fmtSize + (needsFact ? 12 : 0) + 8 + dataSize + (dataSize & 1);
  const buf = Buffer.alloc(total);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(total - 8, 4);
  buf.write('WAVE', 8, 'ascii');
  let p = 12;
  buf.write('fmt ', p, 'ascii');
  buf.writeUInt32LE(fmtSize, p + 4);
  const formatTag = isFloat ? FORMAT_FLOAT : FORMAT_PCM;
  buf.writeUInt16LE(options.extensible ? FORMAT_EXTENSIBLE : formatTag, p + 8);
  buf.writeUInt16LE(chans.length, p + 10);
  buf.writeUInt32LE(sampleRate, p + 12);
  buf.writeUInt32LE(sampleRate * blockAlign, p + 16);
  buf.writeUInt16LE(blockAlign, p + 20);
  buf.writeUInt16LE(bits, p + 22);
  if (fmtSize >= 18) buf.writeUInt16LE(fmtSize - 18, p + 24); // cbSize
  if (options.extensible) {
    buf.writeUInt16LE(bits, p + 26); // valid bits per sample
    buf.writeUInt32LE(chans.length === 1 ? 0x4 : chans.length === 2 ? 0x3 : 0, p + 28); // channel mask
    // SubFormat GUID: {0000XXXX-0000-0010-8000-00aa00389b71}
    buf.writeUInt16LE(formatTag, p + 32);
    Buffer.from([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71]).copy(buf, p + 34);
  }
  p += 8 + fmtSize;
  if (needsFact) {
    buf.write('fact', p, 'ascii');
    buf.writeUInt32LE(4, p + 4);
    buf.writeUInt32LE(frames, p + 8);
    p += 12;
  }
  buf.write('data', p, 'ascii');
  buf.writeUInt32LE(dataSize, p + 4);
  p += 8;
  const clip = (v: number) => (v > 1 ? 1 : v < -1 ? -1 : v);
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < chans.length; c++) {
      const v = chans[c]![f]!;
      switch (encoding) {
        case 'pcm8':
          buf.writeUInt8(Math.min(255, Math.round(clip(v) * 128) + 128), p);
          break;
        case 'pcm16':
          buf.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(clip(v) * 32768))), p);
          break;
        case 'pcm24':
          buf.writeIntLE(Math.max(-8388608, Math.min(8388607, Math.round(clip(v) * 8388608))), p, 3);
          break;
        case 'pcm32':
          buf.writeInt32LE(Math.max(-2147483648, Math.min(2147483647, Math.round(clip(v) * 2147483648))), p);
          break;
        case 'float32':
          buf.writeFloatLE(v, p);
          break;
        case 'float64':
          buf.writeDoubleLE(v, p);
          break;
      }
      p += bytesPerSample;
    }
  }
  return buf;
}

/** Write a WAV file atomically (temp file + rename). */
export function writeWav(path: string, channels: Float32Array | Float32Array[], sampleRate: number, options: WavEncodeOptions = {}): void {
  writeFileAtomicSync(path, encodeWav(channels, sampleRate, options));
}
