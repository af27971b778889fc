// Fréchet distance between two Gaussians fitted to feature sets (Heusel et al. 2017, the FID formula):
//   d² = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2·(Σ₁Σ₂)^½)
// Tr((Σ₁Σ₂)^½) is computed as Σ √λ of the symmetric PSD matrix Σ₁^½ Σ₂ Σ₁^½ (same eigenvalues as Σ₁Σ₂),
// which avoids the complex sqrtm of a non-symmetric product. Which features (Inception pool3 for the
// paper, toy-CLIP image features in SonicToy) is the caller's choice and must be named in reports.
import { featureStatistics, type FeatureStatistics } from './feature-statistics.js';
import { symmetricEigen } from './symmetric-eigen.js';

export function frechetDistance(a: FeatureStatistics, b: FeatureStatistics): number {
  if (a.dim !== b.dim) throw new Error(`Fréchet distance: feature dimensions differ (${a.dim} vs ${b.dim})`);
  const n = a.dim;
  let meanTerm = 0;
  for (let i = 0; i < n; i++) meanTerm += (a.mean[i]! - b.mean[i]!) ** 2;
  let traceA = 0;
  let traceB = 0;
  for (let i = 0; i < n; i++) {
    traceA += a.covariance[i * n + i]!;
    traceB += b.covariance[i * n + i]!;
  }
  const sqrtA = symmetricSqrt(a.covariance, n);
  const middle = multiply(multiply(sqrtA, b.covariance, n), sqrtA, n);
  symmetrize(middle, n);
  const { values } = symmetricEigen(middle, n);
  let traceSqrt = 0;
  for (const v of values) traceSqrt += Math.sqrt(Math.max(v, 0));
  return meanTerm + traceA + traceB - 2 * traceSqrt;
}

export function frechetDistanceOfFeatures(a: ArrayLike<number>[], b: ArrayLike<number>[]): number {
  return frechetDistance(featureStatistics(a), featureStatistics(b));
}

function symmetricSqrt(m: Float64Array, n: number): Float64Array {
  const { values, vectors } = symmetricEigen(m, n);
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const s = Math.sqrt(Math.max(values[k]!, 0));
    if (s === 0) continue;
    for (let i = 0; i < n; i++) {
      const vik = vectors[i * n + k]! * s;
      if (vik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] = out[i * n + j]! + vik * vectors[j * n + k]!;
    }
  }
  return out;
}

function multiply(x: Float64Array, y: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const xik = x[i * n + k]!;
      if (xik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] = out[i * n + j]! + xik * y[k * n + j]!;
    }
  }
  return out;
}

function symmetrize(m: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = (m[i * n + j]! + m[j * n + i]!) / 2;
      m[i * n + j] = v;
      m[j * n + i] = v;
    }
  }
}
