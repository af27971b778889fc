// Value parsers of the pipeline commands' options (run-command.ts does the argument parsing).
import { UsageError } from './cli-error.js';

export function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${flag} expects a positive integer, got "${value}"`);
  return Number(value);
}

const UNIT_MB: Record<string, number> = { k: 1 / 1024, kb: 1 / 1024, m: 1, mb: 1, g: 1024, gb: 1024, t: 1024 * 1024, tb: 1024 * 1024 };

/** "8GB", "512MB", "1.5G" or a plain number of MB. */
export function memoryMB(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]b?)?$/i.exec(value.trim());
  if (!m) throw new UsageError(`${flag} expects a size like 8GB or 512MB, got "${value}"`);
  return Math.ceil(Number(m[1]) * UNIT_MB[(m[2] ?? 'mb').toLowerCase()]!);
}

/** "0,1" -> [0, 1]; "" or "none" -> []. */
export function gpuList(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '' || value === 'none') return [];
  const ids = value.split(',').map((s) => s.trim());
  if (!ids.every((s) => /^\d+$/.test(s))) throw new UsageError(`--gpus expects device ids like 0,1, got "${value}"`);
  const nums = ids.map(Number);
  if (new Set(nums).size !== nums.length) throw new UsageError(`--gpus lists a device twice: "${value}"`);
  return nums;
}

/** --set k=v (repeatable) -> {k: v}. */
export function setPairs(values: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const i = v.indexOf('=');
    if (i <= 0) throw new UsageError(`--set expects key=value, got "${v}"`);
    out[v.slice(0, i)] = v.slice(i + 1);
  }
  return out;
}
