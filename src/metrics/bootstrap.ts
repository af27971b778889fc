// Percentile bootstrap intervals (Efron & Tibshirani 1993, ch. 13), seeded so a table is repeatable:
//   - a statistic of one set of items (the test clips), resampled with replacement;
//   - a statistic of two sets resampled independently (FID: the generated and the reference images);
//   - the paired difference of two statistics over the same items and the same resamples (an ablation
//     against the full model on the same test clips), whose interval says whether the difference is noise.
import { mulberry32 } from '../compute/seeded-random.js';

export interface BootstrapOptions {
  /** Number of resamples (default 1000). */
  resamples?: number;
  /** Central coverage of the interval (default 0.95). */
  level?: number;
  /** Seed of the resampling stream (default 0). */
  seed?: number;
}

export interface Interval {
  /** The statistic on the data as observed. */
  estimate: number;
  low: number;
  high: number;
}

const DEFAULTS = { resamples: 1000, level: 0.95, seed: 0 };

function settings(o: BootstrapOptions): Required<BootstrapOptions> {
  const s = { ...DEFAULTS, ...o };
  if (!Number.isInteger(s.resamples) || s.resamples < 1) throw new Error(`bootstrap: resamples must be an integer >= 1, got ${s.resamples}`);
  if (!(s.level > 0 && s.level < 1)) throw new Error(`bootstrap: level must be in (0, 1), got ${s.level}`);
  return s;
}

/** The q-quantile of sorted values, linearly interpolated (type 7, as numpy's default). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error('quantile of an empty list');
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

function percentile(estimate: number, draws: number[], level: number): Interval {
  const sorted = draws.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return { estimate, low: NaN, high: NaN };
  const tail = (1 - level) / 2;
  return { estimate, low: quantileSorted(sorted, tail), high: quantileSorted(sorted, 1 - tail) };
}

/** `n` indices drawn uniformly with replacement from 0..n-1. */
function resampleIndices(n: number, rand: () => number): number[] {
  return Array.from({ length: n }, () => Math.floor(rand() * n));
}

const identity = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Interval of `statistic(indices)` over resamples of n items. */
export function bootstrap(n: number, statistic: (indices: readonly number[]) => number, options: BootstrapOptions = {}): Interval {
  if (n < 1) throw new Error('bootstrap: no items to resample');
  const s = settings(options);
  const rand = mulberry32(s.seed);
  const draws = Array.from({ length: s.resamples }, () => statistic(resampleIndices(n, rand)));
  return percentile(statistic(identity(n)), draws, s.level);
}

/** Interval of `statistic(indicesA, indicesB)` with both sets resampled independently (e.g. FID). */
export function bootstrapTwoSets(
  nA: number,
  nB: number,
  statistic: (a: readonly number[], b: readonly number[]) => number,
  options: BootstrapOptions = {},
): Interval {
  if (nA < 1 || nB < 1) throw new Error('bootstrap: no items to resample');
  const s = settings(options);
  const rand = mulberry32(s.seed);
  const draws = Array.from({ length: s.resamples }, () => statistic(resampleIndices(nA, rand), resampleIndices(nB, rand)));
  return percentile(statistic(identity(nA), identity(nB)), draws, s.level);
}

export const mean = (values: readonly number[], indices: readonly number[] = identity(values.length)): number => {
  let sum = 0;
  for (const i of indices) sum += values[i]!;
  return sum / indices.length;
};

/** Interval of the mean of per-item values (a win rate, an accuracy over 0/1 items). */
export function bootstrapMean(values: readonly number[], options: BootstrapOptions = {}): Interval {
  return bootstrap(values.length, (idx) => mean(values, idx), options);
}

/** Interval of mean(a) − mean(b) over the same items: a[i] and b[i] belong to the same item. */
export function pairedBootstrapMeanDifference(a: readonly number[], b: readonly number[], options: BootstrapOptions = {}): Interval {
  if (a.length !== b.length) throw new Error(`paired bootstrap: ${a.length} vs ${b.length} items`);
  return bootstrap(a.length, (idx) => mean(a, idx) - mean(b, idx), options);
}

/** Whether an interval lies entirely on one side of zero. */
export function excludesZero(i: Pick<Interval, 'low' | 'high'>): boolean {
  return i.low > 0 || i.high < 0;
}
