// Bootstrap intervals of an evaluation's four numbers from its per-item samples, and paired intervals of
// the difference between two evaluations of the same test items (an ablation against the full model).
// A model trained with several seeds is a group of records over the same test items: its value is the
// mean over seeds, its interval resamples the items once for all seeds, and its spread is the standard
// deviation across seeds.
import { bootstrap, bootstrapTwoSets, type BootstrapOptions, type Interval } from '../../metrics/bootstrap.js';
import { frechetDistanceOfFeatures } from '../../metrics/frechet-distance.js';
import { METRIC_KEYS, type BootstrapSettings, type EvaluationRecord, type EvaluationSamples, type MetricKey } from './metric-names.js';

const pick = <T>(rows: readonly T[], idx: readonly number[]) => idx.map((i) => rows[i]!);
const meanOf = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** One metric of one record on resampled items (and, for FID, resampled reference images). */
function statistic(s: EvaluationSamples, key: MetricKey, items: readonly number[], reference: readonly number[]): number {
  if (key === 'FID') return frechetDistanceOfFeatures(pick(s.fid.generated, items), pick(s.fid.reference, reference));
  const values = s[key];
  let sum = 0;
  for (const i of items) sum += values[i]!;
  return sum / items.length;
}

/** The mean over a group's records (seeds) of one metric on the same resample. */
function groupStatistic(group: readonly EvaluationSamples[], key: MetricKey, items: readonly number[], reference: readonly number[]): number {
  return meanOf(group.map((s) => statistic(s, key, items, reference)));
}

function optionsFor(key: MetricKey, b: BootstrapSettings): BootstrapOptions {
  return { resamples: key === 'FID' ? b.fidResamples : b.resamples, level: b.level, seed: b.seed };
}

/** Interval of one metric of a group of records over the same items. */
function groupInterval(group: readonly EvaluationSamples[], key: MetricKey, b: BootstrapSettings): Interval {
  const first = group[0]!;
  const opts = optionsFor(key, b);
  if (key === 'FID') return bootstrapTwoSets(first.fid.generated.length, first.fid.reference.length, (i, r) => groupStatistic(group, key, i, r), opts);
  return bootstrap(first.ids.length, (i) => groupStatistic(group, key, i, []), opts);
}

export function sampleIntervals(s: EvaluationSamples, b: BootstrapSettings): Record<MetricKey, Interval> {
  return Object.fromEntries(METRIC_KEYS.map((k) => [k, groupInterval([s], k, b)])) as Record<MetricKey, Interval>;
}

/** Why two records cannot be compared item by item (null when they can). */
export function unpairable(a: EvaluationRecord, b: EvaluationRecord): string | null {
  if (a.domain !== b.domain || a.task !== b.task) return `${a.domain}/${a.task} vs ${b.domain}/${b.task}`;
  if (a.samples.ids.join('\n') !== b.samples.ids.join('\n')) return 'different test items';
  if (a.fidFeatures !== b.fidFeatures || a.samples.fid.reference.length !== b.samples.fid.reference.length) return 'different FID reference sets';
  return null;
}

/** One model's result in a table cell group: its records (one per training seed) combined. */
export interface CombinedResult {
  values: Record<MetricKey, number>;
  intervals: Record<MetricKey, Interval>;
  /** Standard deviation of each value across seeds (null with one seed). */
  spread: Record<MetricKey, number | null>;
  seeds: number;
}

/** Combines records of the same model, domain and task (one per seed); null when they are not of the same items. */
export function combineSeeds(records: readonly EvaluationRecord[], b: BootstrapSettings): CombinedResult | null {
  const first = records[0]!;
  if (records.length === 1) return { values: first.values, intervals: Object.fromEntries(METRIC_KEYS.map((k) => [k, { estimate: first.values[k], ...first.intervals[k] }])) as Record<MetricKey, Interval>, spread: { AIS: null, AIC: null, IIS: null, FID: null }, seeds: 1 };
  if (records.some((r) => unpairable(r, first) !== null)) return null;
  const sd = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - meanOf(xs)) ** 2, 0) / (xs.length - 1));
  const values = Object.fromEntries(METRIC_KEYS.map((k) => [k, meanOf(records.map((r) => r.values[k]))])) as Record<MetricKey, number>;
  const intervals = Object.fromEntries(METRIC_KEYS.map((k) => [k, groupInterval(records.map((r) => r.samples), k, b)])) as Record<MetricKey, Interval>;
  const spread = Object.fromEntries(METRIC_KEYS.map((k) => [k, sd(records.map((r) => r.values[k]))])) as Record<MetricKey, number>;
  return { values, intervals, spread, seeds: records.length };
}

/**
 * Interval of value(a) − value(b) for one metric over the same resamples of the shared test items (FID:
 * the same resample of the shared reference set too); a and b are groups of seeds (their means compared).
 * Null when the records are not of the same items.
 */
export function pairedDifference(a: EvaluationRecord | readonly EvaluationRecord[], b: EvaluationRecord | readonly EvaluationRecord[], key: MetricKey, settings: BootstrapSettings): Interval | null {
  const as = Array.isArray(a) ? (a as EvaluationRecord[]) : [a as EvaluationRecord];
  const bs = Array.isArray(b) ? (b as EvaluationRecord[]) : [b as EvaluationRecord];
  if ([...as, ...bs].some((r) => unpairable(r, as[0]!) !== null)) return null;
  const [sa, sb] = [as.map((r) => r.samples), bs.map((r) => r.samples)];
  const diff = (i: readonly number[], r: readonly number[]) => groupStatistic(sa, key, i, r) - groupStatistic(sb, key, i, r);
  const first = sa[0]!;
  const opts = optionsFor(key, settings);
  if (key === 'FID') return bootstrapTwoSets(first.fid.generated.length, first.fid.reference.length, diff, opts);
  return bootstrap(first.ids.length, (i) => diff(i, []), opts);
}
