// Bootstrap intervals of an evaluation's four numbers from its per-item samples, and paired intervals of
// the difference between two evaluations of the same test items (an ablation against the full model).
import { bootstrap, bootstrapMean, bootstrapTwoSets, mean, type Interval } from '../../metrics/bootstrap.js';
import { frechetDistanceOfFeatures } from '../../metrics/frechet-distance.js';
import type { BootstrapSettings, EvaluationRecord, EvaluationSamples, MetricKey } from './metric-names.js';

const pick = <T>(rows: readonly T[], idx: readonly number[]) => idx.map((i) => rows[i]!);

/** FID needs two distinct points per set: a resample that repeats one image has no covariance. */
function fidOf(generated: readonly number[][], reference: readonly number[][]): number {
  return frechetDistanceOfFeatures(generated as number[][], reference as number[][]);
}

export function sampleIntervals(s: EvaluationSamples, b: BootstrapSettings): Record<MetricKey, Interval> {
  const opts = { resamples: b.resamples, level: b.level, seed: b.seed };
  const { generated, reference } = s.fid;
  return {
    AIS: bootstrapMean(s.AIS, opts),
    AIC: bootstrapMean(s.AIC, opts),
    IIS: bootstrapMean(s.IIS, opts),
    FID: bootstrapTwoSets(generated.length, reference.length, (a, r) => fidOf(pick(generated, a), pick(reference, r)), { ...opts, resamples: b.fidResamples }),
  };
}

/** Why two records cannot be compared item by item (null when they can). */
export function unpairable(a: EvaluationRecord, b: EvaluationRecord): string | null {
  if (a.domain !== b.domain || a.task !== b.task) return `${a.domain}/${a.task} vs ${b.domain}/${b.task}`;
  if (a.samples.ids.join('\n') !== b.samples.ids.join('\n')) return 'different test items';
  if (a.fidFeatures !== b.fidFeatures || a.samples.fid.reference.length !== b.samples.fid.reference.length) return 'different FID reference sets';
  return null;
}

/**
 * Interval of value(a) − value(b) for one metric over the same resamples of the shared test items (FID:
 * the same resample of the shared reference set too). Null when the records are not of the same items.
 */
export function pairedDifference(a: EvaluationRecord, b: EvaluationRecord, key: MetricKey, settings: BootstrapSettings): Interval | null {
  if (unpairable(a, b) !== null) return null;
  const opts = { resamples: key === 'FID' ? settings.fidResamples : settings.resamples, level: settings.level, seed: settings.seed };
  if (key !== 'FID') {
    const [x, y] = [a.samples[key], b.samples[key]];
    return bootstrap(x.length, (idx) => mean(x, idx) - mean(y, idx), opts);
  }
  const ref = a.samples.fid.reference;
  const [ga, gb] = [a.samples.fid.generated, b.samples.fid.generated];
  return bootstrapTwoSets(ga.length, ref.length, (idx, r) => fidOf(pick(ga, idx), pick(ref, r)) - fidOf(pick(gb, idx), pick(ref, r)), opts);
}
