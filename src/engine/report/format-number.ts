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
