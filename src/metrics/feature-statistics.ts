// Mean and covariance of a feature set (rows = samples), as numpy.mean / numpy.cov(rowvar=False) compute them.

export interface FeatureStatistics {
  dim: number;
  count: number;
  mean: Float64Array;
  covariance: Float64Array; // row-major dim×dim, unbiased (N−1)
}

export function featureStatistics(features: ArrayLike<number>[]): FeatureStatistics {
  const count = features.length;
  if (count < 2) throw new Error(`feature statistics need at least 2 samples, got ${count}`);
  const dim = features[0]!.length;
  const mean = new Float64Array(dim);
  for (const f of features) {
    if (f.length !== dim) throw new Error(`feature dimension mismatch: ${f.length} vs ${dim}`);
    for (let j = 0; j < dim; j++) mean[j] = mean[j]! + f[j]!;
  }
  for (let j = 0; j < dim; j++) mean[j] = mean[j]! / count;
  const covariance = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (const f of features) {
    for (let j = 0; j < dim; j++) centred[j] = f[j]! - mean[j]!;
    for (let a = 0; a < dim; a++) {
      const ca = centred[a]!;
      if (ca === 0) continue;
      const row = a * dim;
      for (let b = a; b < dim; b++) covariance[row + b] = covariance[row + b]! + ca * centred[b]!;
    }
  }
  for (let a = 0; a < dim; a++) {
    for (let b = a; b < dim; b++) {
      const v = covariance[a * dim + b]! / (count - 1);
      covariance[a * dim + b] = v;
      covariance[b * dim + a] = v;
    }
  }
  return { dim, count, mean, covariance };
}
