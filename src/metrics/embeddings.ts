// Small helpers over embedding vectors (rows of numbers).

export type Embedding = ArrayLike<number>;

export function l2Normalize(v: Embedding): Float64Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! * inv;
  return out;
}

export function dot(a: Embedding, b: Embedding): number {
  if (a.length !== b.length) throw new Error(`embedding dimensions differ (${a.length} vs ${b.length})`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
