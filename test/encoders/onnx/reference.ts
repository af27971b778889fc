// Shared helpers for the ONNX/front-end reference tests: fixture paths and error measures.
import { join } from 'node:path';
import { SafetensorsFile } from '../../../src/compute/safetensors.js';

export const ONNX_FIXTURES = join('test', 'fixtures', 'reference', 'onnx');
export const FRONTEND_FIXTURES = join(ONNX_FIXTURES, 'frontends');

/** max |a − b| / max |b|: error relative to the reference's scale. */
export function maxRelErr(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} ≠ expected ${expected.length}`);
  let maxDiff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return maxDiff / Math.max(scale, 1e-30);
}

export function readTensors(file: string): Map<string, { shape: number[]; data: Float32Array }> {
  const f = new SafetensorsFile(file);
  try {
    return new Map(f.keys().map((k) => [k, f.read(k)]));
  } finally {
    f.close();
  }
}

export function need<T>(m: Map<string, T>, key: string): T {
  const v = m.get(key);
  if (v === undefined) throw new Error(`fixture lacks '${key}'`);
  return v;
}
