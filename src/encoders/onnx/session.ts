// Opening ONNX Runtime sessions with the project's defaults, and small tensor helpers.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { checkSignature, type DeclaredTensor, type GraphSignature } from './signatures.js';

// ONNX Runtime's Linux build carries a telemetry client that, when the first session is created, leaves an
// empty mat-debug-<pid>.log (and a .ses file) in the temp dir of every process. Unless the user chose
// otherwise, turn it off; the native library reads this variable when it creates its environment.
process.env.ORT_DISABLE_TELEMETRY ??= '1';

export interface SessionOptions {
  intraOpNumThreads?: number;
  interOpNumThreads?: number;
}

export interface CheckedSession {
  file: string;
  session: ort.InferenceSession;
  /** Named dims the model fixes (e.g. S = 224). */
  dims: Record<string, number>;
}

function declared(meta: readonly ort.InferenceSession.ValueMetadata[]): DeclaredTensor[] {
  return meta.map((m) => (m.isTensor ? { name: m.name, type: m.type, dims: m.shape } : { name: m.name, type: 'non-tensor', dims: [] }));
}

/** A model file: `path` itself, or `path/<canonical>` when `path` is a directory. */
export function modelFile(path: string, canonical: string): string {
  return existsSync(path) && statSync(path).isDirectory() ? join(path, canonical) : path;
}

export async function openChecked(
  file: string,
  role: string,
  sig: GraphSignature,
  opts: SessionOptions,
  pinned: Record<string, number> = {},
): Promise<CheckedSession> {
  if (!existsSync(file)) throw new Error(`${file}: ONNX model file not found (needed for ${role}; see docs/reproduce-paper.md)`);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(file, {
      intraOpNumThreads: opts.intraOpNumThreads ?? 1,
      interOpNumThreads: opts.interOpNumThreads ?? 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  } catch (e) {
    throw new Error(`${file}: ONNX Runtime cannot load this file as a ${role} model (${(e as Error).message})`);
  }
  try {
    const dims = checkSignature(file, role, sig, { inputs: declared(session.inputMetadata), outputs: declared(session.outputMetadata) }, pinned);
    return { file, session, dims };
  } catch (e) {
    await session.release();
    throw e;
  }
}

export function floatTensor(data: Float32Array, dims: number[]): ort.Tensor {
  return new ort.Tensor('float32', data, dims);
}

export function int64Tensor(ids: ArrayLike<number>, dims: number[]): ort.Tensor {
  const b = new BigInt64Array(ids.length);
  for (let i = 0; i < ids.length; i++) b[i] = BigInt(ids[i]!);
  return new ort.Tensor('int64', b, dims);
}

export async function runOne(s: CheckedSession, feeds: Record<string, ort.Tensor>, outputs: string[]): Promise<Map<string, { data: Float32Array; dims: number[] }>> {
  let result: ort.InferenceSession.ReturnType;
  try {
    result = await s.session.run(feeds, outputs);
  } catch (e) {
    throw new Error(`${s.file}: inference failed (${(e as Error).message})`);
  }
  const out = new Map<string, { data: Float32Array; dims: number[] }>();
  for (const name of outputs) {
    const t = result[name]!;
    out.set(name, { data: t.data as Float32Array, dims: [...t.dims] });
  }
  return out;
}

/** Rows of a [B, ...] tensor as separate copies. */
export function splitRows(data: Float32Array, batch: number): Float32Array[] {
  const per = data.length / batch;
  return Array.from({ length: batch }, (_, b) => data.slice(b * per, (b + 1) * per));
}

export function stack(rows: Float32Array[]): Float32Array {
  const per = rows[0]?.length ?? 0;
  const out = new Float32Array(rows.length * per);
  rows.forEach((r, i) => {
    if (r.length !== per) throw new Error(`cannot batch inputs of different sizes (${r.length} vs ${per})`);
    out.set(r, i * per);
  });
  return out;
}

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function l2normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s) || 1;
  return v.map((x) => x / n);
}
