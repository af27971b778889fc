import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrap, bootstrapMean, bootstrapTwoSets, excludesZero, mean, pairedBootstrapMeanDifference, quantileSorted } from '../../src/metrics/bootstrap.js';
import { mulberry32 } from '../../src/compute/seeded-random.js';

test('quantileSorted interpolates like numpy (type 7)', () => {
  assert.equal(quantileSorted([1, 2, 3, 4], 0), 1);
  assert.equal(quantileSorted([1, 2, 3, 4], 1), 4);
  assert.equal(quantileSorted([1, 2, 3, 4], 0.5), 2.5);
  assert.ok(Math.abs(quantileSorted([0, 10], 0.025) - 0.25) < 1e-12);
});

test('bootstrap of a mean: the interval matches the normal approximation for a known distribution', () => {
  // 400 Bernoulli(0.3) draws: the mean's standard error is sqrt(p(1-p)/n) ≈ 0.0229, so the 95 % interval
  // is about ±0.045 around the sample mean.
  const rand = mulberry32(7);
  const xs = Array.from({ length: 400 }, () => (rand() < 0.3 ? 1 : 0));
  const m = mean(xs);
  const ci = bootstrapMean(xs, { resamples: 2000, seed: 1 });
  assert.equal(ci.estimate, m);
  const se = Math.sqrt((m * (1 - m)) / xs.length);
  assert.ok(Math.abs(m - ci.low - 1.96 * se) < 0.012, `low ${ci.low} vs ${m - 1.96 * se}`);
  assert.ok(Math.abs(ci.high - m - 1.96 * se) < 0.012, `high ${ci.high} vs ${m + 1.96 * se}`);
});

test('bootstrap coverage: about 95 % of intervals from fresh samples contain the true mean', () => {
  const rand = mulberry32(11);
  let covered = 0;
  const trials = 200;
  for (let t = 0; t < trials; t++) {
    const xs = Array.from({ length: 60 }, () => rand()); // uniform(0, 1): mean 0.5
    const ci = bootstrapMean(xs, { resamples: 300, seed: t });
    if (ci.low <= 0.5 && 0.5 <= ci.high) covered++;
  }
  assert.ok(covered / trials > 0.88 && covered / trials < 0.995, `coverage ${covered / trials}`);
});

test('bootstrap is deterministic under its seed and changes with it', () => {
  const xs = [0.1, 0.5, 0.9, 0.3, 0.7, 0.2];
  assert.deepEqual(bootstrapMean(xs, { seed: 5 }), bootstrapMean(xs, { seed: 5 }));
  assert.notDeepEqual(bootstrapMean(xs, { seed: 5 }), bootstrapMean(xs, { seed: 6 }));
  const constant = bootstrapMean([0.5, 0.5, 0.5]);
  assert.deepEqual(constant, { estimate: 0.5, low: 0.5, high: 0.5 });
});

test('paired difference: a consistent shift is a finding, a relabelled copy is not', () => {
  const rand = mulberry32(3);
  const base = Array.from({ length: 50 }, () => rand());
  const shifted = base.map((x) => x + 0.05 + (rand() - 0.5) * 0.01);
  const d = pairedBootstrapMeanDifference(shifted, base, { seed: 2 });
  assert.ok(d.low > 0.04 && d.high < 0.06, `[${d.low}, ${d.high}]`);
  assert.ok(excludesZero(d));
  // Unpaired noise of the same distribution: the interval straddles zero.
  const other = Array.from({ length: 50 }, () => rand());
  const n = pairedBootstrapMeanDifference(other, base, { seed: 2 });
  assert.ok(n.low < 0 && n.high > 0, `[${n.low}, ${n.high}]`);
  assert.ok(!excludesZero(n));
  assert.throws(() => pairedBootstrapMeanDifference([1], [1, 2]), /1 vs 2 items/);
});

test('two-set bootstrap resamples both sets independently', () => {
  const a = [1, 2, 3, 4, 5];
  const b = [10, 20, 30];
  const seen = new Set<string>();
  const ci = bootstrapTwoSets(a.length, b.length, (ia, ib) => {
    seen.add(`${ia.length},${ib.length}`);
    return mean(b, ib) - mean(a, ia);
  }, { resamples: 500, seed: 9 });
  assert.deepEqual([...seen], ['5,3']);
  assert.equal(ci.estimate, 17);
  assert.ok(ci.low < 17 && ci.high > 17 && ci.low > 5);
  assert.throws(() => bootstrap(0, () => 0), /no items/);
  assert.throws(() => bootstrapMean([1], { level: 1 }), /level/);
});
