// Number display rules: 4 significant digits for people (terminal, markdown), full precision for machines
// (CSV, JSON).

const SIGNIFICANT_DIGITS = 4;

/** Integers print whole; other numbers with 4 significant digits, without trailing zeros. */
export function formatHuman(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const abs = Math.abs(v);
  if (abs >= 10 ** SIGNIFICANT_DIGITS && abs < 1e15) return String(Math.round(v));
  const s = v.toPrecision(SIGNIFICANT_DIGITS);
  const [mantissa, exponent] = s.split('e');
  const trimmed = mantissa!.includes('.') ? mantissa!.replace(/0+$/, '').replace(/\.$/, '') : mantissa!;
  return exponent === undefined ? trimmed : `${trimmed}e${exponent}`;
}

/** Shortest string that reads back to the same double. */
export function formatExact(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return String(v);
}

/** 1536 -> "1.5 KiB". */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${formatHuman(Number(v.toPrecision(3)))} ${units[u]}`;
}

/** 83_000 -> "1m23s"; 950 -> "0.95s". */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${formatHuman(Number((ms / 1000).toPrecision(3)))}s`;
  const totalS = Math.round(ms / 1000);
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s).padStart(2, '0')}s`;
}
