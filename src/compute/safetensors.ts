// safetensors: 8-byte little-endian header length, a JSON header {name: {dtype, shape, data_offsets}},
// then the raw tensor bytes. Tensors are read lazily, one at a time, from an open file descriptor.
import { openSync, readSync, closeSync, fstatSync, writeFileSync, renameSync } from 'node:fs';

export type SafetensorsDtype = 'F32' | 'F16' | 'BF16' | 'F64' | 'I64' | 'I32';

export interface TensorInfo {
  dtype: SafetensorsDtype;
  shape: number[];
  dataOffsets: [number, number]; // relative to the start of the data section
}

export interface HostTensor {
  shape: number[];
  data: Float32Array;
}

const BYTES: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, BF16: 2, F64: 8, I64: 8, I32: 4 };

export class SafetensorsError extends Error {}

export class SafetensorsFile {
  readonly tensors = new Map<string, TensorInfo>();
  readonly metadata: Record<string, string> = {};
  private fd: number | null;
  private dataStart: number;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
    const size = fstatSync(this.fd).size;
    const lenBuf = Buffer.alloc(8);
    if (size < 8 || readSync(this.fd, lenBuf, 0, 8, 0) !== 8) throw new SafetensorsError(`${path}: too short for a safetensors file`);
    const headerLen = Number(lenBuf.readBigUInt64LE(0));
    if (headerLen <= 0 || 8 + headerLen > size) throw new SafetensorsError(`${path}: header length ${headerLen} does not fit the file (${size} bytes)`);
    const headerBuf = Buffer.alloc(headerLen);
    readSync(this.fd, headerBuf, 0, headerLen, 8);
    let header: Record<string, unknown>;
    try {
      header = JSON.parse(headerBuf.toString('utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new SafetensorsError(`${path}: header is not valid JSON (${(e as Error).message})`);
    }
    this.dataStart = 8 + headerLen;
    for (const [name, raw] of Object.entries(header)) {
      if (name === '__metadata__') {
        Object.assign(this.metadata, raw as Record<string, string>);
        continue;
      }
      const info = raw as { dtype: string; shape: number[]; data_offsets: [number, number] };
      if (!(info.dtype in BYTES)) throw new SafetensorsError(`${path}: tensor '${name}' has unsupported dtype ${info.dtype}`);
      const n = info.shape.reduce((a, b) => a * b, 1);
      const [begin, end] = info.data_offsets;
      if (end - begin !== n * BYTES[info.dtype as SafetensorsDtype] || this.dataStart + end > size) {
        throw new SafetensorsError(`${path}: tensor '${name}' offsets [${begin}, ${end}] do not match shape [${info.shape}] of ${info.dtype}`);
      }
      this.tensors.set(name, { dtype: info.dtype as SafetensorsDtype, shape: info.shape, dataOffsets: [begin, end] });
    }
  }

  keys(): string[] {
    return [...this.tensors.keys()];
  }

  /** Reads one tensor and converts it to float32. */
  read(name: string): HostTensor {
    const info = this.tensors.get(name);
    if (!info) throw new SafetensorsError(`${this.path}: no tensor named '${name}'`);
    if (this.fd === null) throw new SafetensorsError(`${this.path}: file already closed`);
    const [begin, end] = info.dataOffsets;
    const buf = Buffer.alloc(end - begin);
    readSync(this.fd, buf, 0, end - begin, this.dataStart + begin);
    return { shape: [...info.shape], data: toFloat32(buf, info.dtype) };
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

function toFloat32(buf: Buffer, dtype: SafetensorsDtype): Float32Array {
  const n = buf.length / BYTES[dtype];
  const out = new Float32Array(n);
  switch (dtype) {
    case 'F32':
      for (let i = 0; i < n; i++) out[i] = buf.readFloatLE(i * 4);
      return out;
    case 'F64':
      for (let i = 0; i < n; i++) out[i] = buf.readDoubleLE(i * 8);
      return out;
    case 'I32':
      for (let i = 0; i < n; i++) out[i] = buf.readInt32LE(i * 4);
      return out;
    case 'I64':
      for (let i = 0; i < n; i++) out[i] = Number(buf.readBigInt64LE(i * 8));
      return out;
    case 'BF16': {
      const u32 = new Uint32Array(out.buffer);
      for (let i = 0; i < n; i++) u32[i] = buf.readUInt16LE(i * 2) << 16;
      return out;
    }
    case 'F16':
      for (let i = 0; i < n; i++) out[i] = halfToFloat(buf.readUInt16LE(i * 2));
      return out;
  }
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** Writes float32 tensors as a safetensors file (atomically: temp file + rename). */
export function writeSafetensors(path: string, tensors: Map<string, HostTensor> | Record<string, HostTensor>, metadata?: Record<string, string>): void {
  const entries = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of entries) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length) throw new SafetensorsError(`tensor '${name}': shape [${t.shape}] has ${n} elements but data has ${t.data.length}`);
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + n * 4] };
    offset += n * 4;
  }
  let headerJson = JSON.stringify(header);
  headerJson += ' '.repeat((8 - (headerJson.length % 8)) % 8);
  const headerBytes = Buffer.from(headerJson, 'utf8');
  const out = Buffer.alloc(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let pos = 8 + headerBytes.length;
  for (const [, t] of entries) {
    Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).copy(out, pos);
    pos += t.data.byteLength;
  }
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, out);
  renameSync(tmp, path);
}
