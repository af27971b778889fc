// Named float matrices in one safetensors file (embeddings, token states), plus a JSON sidecar index.
import { SafetensorsFile, writeSafetensors, type HostTensor } from '../../compute/safetensors.js';

export function stackRows(rows: readonly Float32Array[], width?: number): HostTensor {
  const w = width ?? rows[0]?.length ?? 0;
  const data = new Float32Array(rows.length * w);
  rows.forEach((r, i) => {
    if (r.length !== w) throw new Error(`row ${i} has ${r.length} values, expected ${w}`);
    data.set(r, i * w);
  });
  return { shape: [rows.length, w], data };
}

export function writeMatrices(path: string, tensors: Record<string, HostTensor>): void {
  writeSafetensors(path, tensors);
}

/** Reads every tensor of a file into memory. */
export function readMatrices(path: string): Map<string, HostTensor> {
  const file = new SafetensorsFile(path);
  try {
    const out = new Map<string, HostTensor>();
    for (const name of file.tensors.keys()) out.set(name, file.read(name));
    return out;
  } finally {
    file.close();
  }
}

export function rowsOfMatrix(t: HostTensor): Float32Array[] {
  const n = t.shape[0] ?? 0;
  const w = n === 0 ? 0 : t.data.length / n;
  return Array.from({ length: n }, (_, i) => t.data.slice(i * w, (i + 1) * w));
}
