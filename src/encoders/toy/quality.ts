// Host-side quality measures of embedding models: cosine argmax retrieval and zero-shot classification.

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function normalized(v: Float32Array): Float32Array {
  const n = Math.sqrt(dot(v, v)) || 1;
  return v.map((x) => x / n);
}

/** Index of the candidate with the highest cosine similarity to `query`. */
export function nearest(query: Float32Array, candidates: readonly Float32Array[]): number {
  const q = normalized(query);
  let best = -1;
  let bestSim = -Infinity;
  candidates.forEach((c, i) => {
    const s = dot(q, normalized(c));
    if (s > bestSim) {
      bestSim = s;
      best = i;
    }
  });
  return best;
}

/** Fraction of queries whose nearest candidate is candidates[correct[i]]. */
export function retrievalTop1(queries: readonly Float32Array[], candidates: readonly Float32Array[], correct: readonly number[]): number {
  if (queries.length === 0) return NaN;
  let hits = 0;
  queries.forEach((q, i) => {
    if (nearest(q, candidates) === correct[i]) hits++;
  });
  return hits / queries.length;
}

/** Fraction of queries whose nearest candidate's key equals the query's key (e.g. the same class). */
export function keyMatchTop1(queries: readonly Float32Array[], queryKeys: readonly string[], candidates: readonly Float32Array[], candidateKeys: readonly string[]): number {
  if (queries.length === 0) return NaN;
  let hits = 0;
  queries.forEach((q, i) => {
    if (candidateKeys[nearest(q, candidates)] === queryKeys[i]) hits++;
  });
  return hits / queries.length;
}

/** Unique strings in first-seen order and, per item, the index of its string. */
export function uniqueIndex(items: readonly string[]): { unique: string[]; index: number[] } {
  const at = new Map<string, number>();
  const index = items.map((s) => {
    let i = at.get(s);
    if (i === undefined) {
      i = at.size;
      at.set(s, i);
    }
    return i;
  });
  return { unique: [...at.keys()], index };
}

/** Rounds metrics for logging (4 decimals). */
export function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

export interface ZeroShotResult {
  /** Accuracy per domain present in the rows. */
  accuracy: Record<string, number>;
  /** 1 / number of classes of that domain. */
  chance: Record<string, number>;
  count: Record<string, number>;
}

/**
 * Zero-shot classification: each item is assigned the label (of its own domain) whose text embedding is
 * the most similar to the item's embedding; labels are the raw class strings, as AIC prompts them.
 */
export async function zeroShotByDomain(
  rows: readonly { domain: string; label: string }[],
  embeddings: readonly Float32Array[],
  labelsOf: (domain: string) => string[],
  embedText: (texts: string[]) => Promise<Float32Array[]>,
): Promise<ZeroShotResult> {
  const result: ZeroShotResult = { accuracy: {}, chance: {}, count: {} };
  const domains = [...new Set(rows.map((r) => r.domain))];
  for (const domain of domains) {
    const labels = labelsOf(domain);
    const labelEmb = await embedText(labels);
    let hits = 0;
    let n = 0;
    rows.forEach((r, i) => {
      if (r.domain !== domain) return;
      n++;
      if (labels[nearest(embeddings[i]!, labelEmb)] === r.label) hits++;
    });
    result.accuracy[domain] = hits / n;
    result.chance[domain] = 1 / labels.length;
    result.count[domain] = n;
  }
  return result;
}
