// Durations in pipeline files (`timeout: 30m`): a number of seconds, or amounts with units d, h, m, s
// written together ("1h30m", "90s", "2.5h").
export const DURATION_PATTERN = /^\s*(?:\d+(?:\.\d+)?\s*[dhms]\s*)+$/i;
const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };

/** Milliseconds, or null when `v` is not a positive duration. */
export function parseDurationMs(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v > 0 ? Math.round(v * 1000) : null;
  if (typeof v !== 'string' || !DURATION_PATTERN.test(v)) return null;
  let ms = 0;
  for (const m of v.matchAll(/(\d+(?:\.\d+)?)\s*([dhms])/gi)) ms += Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]!;
  return ms > 0 ? Math.round(ms) : null;
}

/** "1h30m" style text for a duration in milliseconds. */
export function formatDurationMs(ms: number): string {
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0 || parts.length === 0) parts.push(`${rest}s`);
  return parts.join('');
}
