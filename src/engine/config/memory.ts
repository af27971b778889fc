import { MEMORY_PATTERN } from './pipeline-schema.js';

const UNIT_MB: Record<string, number> = { kb: 1 / 1024, mb: 1, gb: 1024, tb: 1024 * 1024 };

/** Memory request in whole MB (rounded up): a number of MB, or "512MB" / "2GB" / "1.5TB" / "256KB". */
export function parseMemoryMB(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.ceil(v) : null;
  if (typeof v !== 'string') return null;
  const m = MEMORY_PATTERN.exec(v);
  if (!m) return null;
  return Math.ceil(Number(m[1]) * UNIT_MB[(m[2] ?? 'mb').toLowerCase()]!);
}
