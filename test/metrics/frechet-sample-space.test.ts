// The sample-space Fréchet distance (few samples, high dimension) equals the covariance-space one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { featureStatistics } from '../../src/metrics/feature-statistics.js';
import { frechetDistance, frechetDistanceInSampleSpace, frechetDistanceOfFeatures } from '../../src/metrics/frechet-distance.js';
import { mulberry32 } from '../../src/compute/seeded-random.js';

function features(n: number, dim: number, seed: number, shift: number): Float32Array[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: dim }, (_, j) => rand() * (1 + (j % 3)) + shift));
}

test('sample-space Fréchet distance matches the covariance formula (rank-deficient and full-rank sets)', () => {
  for (const [n1, n2, dim] of [[4, 6, 12], [9, 7, 5], [3, 3, 40]] as const) {
    const a = features(n1, dim, 1 + n1, 0);
    const b = features(n2, dim, 100 + n2, 0.3);
    const reference = frechetDistance(featureStatistics(a), featureStatistics(b));
    const fast = frechetDistanceInSampleSpace(a, b);
    assert.ok(Math.abs(fast - reference) <= 1e-6 * Math.max(1, Math.abs(reference)), `${n1}×${n2} in ${dim}-d: ${fast} vs ${reference}`);
    assert.ok(Math.abs(frechetDistanceOfFeatures(a, b) - reference) <= 1e-6 * Math.max(1, Math.abs(reference)));
  }
  assert.throws(() => frechetDistanceInSampleSpace(features(1, 4, 1, 0), features(3, 4, 2, 0)), /at least 2 samples/);
});

test('a 2048-d distance between small sets goes through the sample space (speed: bench/micro/frechet-sample-space.ts)', () => {
  const a = features(20, 2048, 7, 0);
  const b = features(16, 2048, 8, 0.1);
  const d = frechetDistanceOfFeatures(a, b);
  assert.ok(Number.isFinite(d) && d > 0);
  assert.equal(d, frechetDistanceInSampleSpace(a, b), 'the same computation, bit for bit');
});
