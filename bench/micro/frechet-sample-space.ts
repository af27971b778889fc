// Bench: the sample-space Fréchet distance (few samples, high dimension) against the covariance formula on
// the same sets, as a ratio. The test suite checks that both agree and that frechetDistanceOfFeatures picks
// the sample-space route for such sets; the speed-up lives here.
// Usage: node dist/bench/micro/frechet-sample-space.js [DIM=256] [ROUNDS=5]
import { featureStatistics } from '../../src/metrics/feature-statistics.js';
import { frechetDistance, frechetDistanceInSampleSpace } from '../../src/metrics/frechet-distance.js';
import { mulberry32 } from '../../src/compute/seeded-random.js';
import { medianMs } from './timing.js';

const dim = Number(process.argv[2] ?? 256);
const rounds = Number(process.argv[3] ?? 5);

function features(n: number, seed: number, shift: number): Float32Array[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: dim }, (_, j) => rand() * (1 + (j % 3)) + shift));
}

const a = features(20, 7, 0);
const b = features(16, 8, 0.1);
let viaSamples = 0;
let viaCovariance = 0;
const samplesMs = medianMs(rounds, () => void (viaSamples = frechetDistanceInSampleSpace(a, b)));
const covarianceMs = medianMs(rounds, () => void (viaCovariance = frechetDistance(featureStatistics(a), featureStatistics(b))));
console.log(`20 × 16 samples in ${dim}-d, ${rounds} rounds (medians)`);
console.log(`covariance formula: ${covarianceMs.toFixed(2)} ms (d² = ${viaCovariance.toFixed(6)})`);
console.log(`sample space:       ${samplesMs.toFixed(2)} ms (d² = ${viaSamples.toFixed(6)})`);
console.log(`ratio covariance / sample space: ${(covarianceMs / samplesMs).toFixed(1)}×`);
