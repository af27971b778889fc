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
  const dim = a[0]?.length ?? 0;
  if (a.length >= 2 && b.length >= 2 && a.length * b.length < dim * dim) return frechetDistanceInSampleSpace(a, b);
  return frechetDistance(featureStatistics(a), featureStatistics(b));
}

/**
 * The same distance computed through the samples, for sets smaller than the feature dimension (2048-d
 * Inception features of a few hundred images): with Σ₁ = AAᵀ and Σ₂ = BBᵀ (A, B the centred samples over
 * √(N−1)), Σ₁Σ₂ has the nonzero eigenvalues of MMᵀ, M = AᵀB (N₁×N₂), so Tr((Σ₁Σ₂)^½) = Σ √λ(MMᵀ) and
 * Tr Σ = Σ‖centred sample‖² / (N−1). Exact; O(dim·N₁·N₂ + N₁³) instead of O(dim³).
 */
export function frechetDistanceInSampleSpace(a: ArrayLike<number>[], b: ArrayLike<number>[]): number {
  if (a.length < 2 || b.length < 2) throw new Error(`feature statistics need at least 2 samples, got ${Math.min(a.length, b.length)}`);
  const dim = a[0]!.length;
  const centre = (set: ArrayLike<number>[]) => {
    const mean = new Float64Array(dim);
    for (const f of set) {
      if (f.length !== dim) throw new Error(`feature dimension mismatch: ${f.length} vs ${dim}`);
      for (let j = 0; j < dim; j++) mean[j] = mean[j]! + f[j]!;
    }
    for (let j = 0; j < dim; j++) mean[j] = mean[j]! / set.length;
    const scale = 1 / Math.sqrt(set.length - 1);
    let trace = 0;
    const rows = set.map((f) => {
      const r = new Float64Array(dim);
      for (let j = 0; j < dim; j++) {
        r[j] = (f[j]! - mean[j]!) * scale;
        trace += r[j]! * r[j]!;
      }
      return r;
    });
    return { mean, rows, trace };
  };
  const A = centre(a);
  const B = centre(b);
  let meanTerm = 0;
  for (let j = 0; j < dim; j++) meanTerm += (A.mean[j]! - B.mean[j]!) ** 2;
  const n1 = A.rows.length;
  const n2 = B.rows.length;
  const M = new Float64Array(n1 * n2);
  for (let i = 0; i < n1; i++) {
    const ai = A.rows[i]!;
    for (let k = 0; k < n2; k++) {
      const bk = B.rows[k]!;
      let s = 0;
      for (let j = 0; j < dim; j++) s += ai[j]! * bk[j]!;
      M[i * n2 + k] = s;
    }
  }
  const MMt = new Float64Array(n1 * n1);
  for (let i = 0; i < n1; i++) {
    for (let l = i; l < n1; l++) {
      let s = 0;
      for (let k = 0; k < n2; k++) s += M[i * n2 + k]! * M[l * n2 + k]!;
      MMt[i * n1 + l] = s;
      MMt[l * n1 + i] = s;
    }
  }
  const { values } = symmetricEigen(MMt, n1);
  let traceSqrt = 0;
  for (const v of values) traceSqrt += Math.sqrt(Math.max(v, 0));
  return meanTerm + A.trace + B.trace - 2 * traceSqrt;
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
