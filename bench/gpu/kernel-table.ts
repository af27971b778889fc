// Sums tf.profile's kernel records by tfjs kernel name: calls, total time, share, and which WebGPU programs
// ran under each (the webgpu backend names them in extraInfo, e.g. "MatMulPackedProgram: 0.41").
import type * as tf from '@tensorflow/tfjs-core';

export interface KernelRow {
  name: string;
  calls: number;
  ms: number;
  share: number;
  programs: string[];
}

type KernelInfo = Awaited<ReturnType<typeof tf.profile>>['kernels'][number];

export async function kernelTable(kernels: KernelInfo[]): Promise<{ totalKernelMs: number; kernels: KernelRow[] }> {
  const rows = new Map<string, KernelRow>();
  let total = 0;
  for (const k of kernels) {
    const ms = Number(await Promise.resolve(k.kernelTimeMs)) || 0;
    total += ms;
    const row = rows.get(k.name) ?? { name: k.name, calls: 0, ms: 0, share: 0, programs: [] };
    row.calls += 1;
    row.ms += ms;
    for (const program of programNames(k.extraInfo)) if (!row.programs.includes(program)) row.programs.push(program);
    rows.set(k.name, row);
  }
  const sorted = [...rows.values()].sort((a, b) => b.ms - a.ms);
  for (const r of sorted) {
    r.share = total > 0 ? r.ms / total : 0;
  }
  return { totalKernelMs: total, kernels: sorted };
}

/** "MatMulPackedProgram: 0.41, AddProgram: 0.02" -> ["MatMulPackedProgram", "AddProgram"]. */
export function programNames(extraInfo: unknown): string[] {
  if (typeof extraInfo !== 'string' || extraInfo === '') return [];
  return extraInfo.split(', ').map((part) => part.split(':')[0]!.trim()).filter((name) => name !== '');
}

/** A markdown table of the rows (top `limit`, the rest summed in one line). */
export function kernelMarkdown(rows: KernelRow[], totalMs: number, limit = 25): string {
  const fmt = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(3));
  const lines = ['| kernel | calls | total ms | share | WebGPU programs |', '|---|---|---|---|---|'];
  for (const r of rows.slice(0, limit)) {
    lines.push(`| ${r.name} | ${r.calls} | ${fmt(r.ms)} | ${(100 * r.share).toFixed(1)} % | ${r.programs.join(', ')} |`);
  }
  const rest = rows.slice(limit);
  if (rest.length > 0) {
    const ms = rest.reduce((a, r) => a + r.ms, 0);
    lines.push(`| ${rest.length} other kernels | ${rest.reduce((a, r) => a + r.calls, 0)} | ${fmt(ms)} | ${totalMs > 0 ? ((100 * ms) / totalMs).toFixed(1) : '0.0'} % | |`);
  }
  lines.push(`| **all kernels** | ${rows.reduce((a, r) => a + r.calls, 0)} | ${fmt(totalMs)} | 100 % | |`);
  return lines.join('\n');
}
