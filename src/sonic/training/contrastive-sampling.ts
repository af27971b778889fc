// Stage-1 pair sampling as in the official contrastive datasets (spec §5.2): for each anchor, one random
// positive of the same class other than itself, and N negatives drawn without replacement from all items
// of other classes. Deterministic in `seed`.
import { mulberry32 } from '../schedulers/seeded-random.js';

export interface ContrastiveIndices {
  positives: number[]; // one per anchor
  negatives: number[][]; // N per anchor
}

export function sampleContrastiveIndices(labels: readonly string[], anchors: readonly number[], negativesPerAnchor: number, seed: number): ContrastiveIndices {
  if (!Number.isInteger(negativesPerAnchor) || negativesPerAnchor < 1) throw new Error(`contrastive sampling: negatives per anchor must be a positive integer, got ${negativesPerAnchor}`);
  const rand = mulberry32(seed);
  const byClass = new Map<string, number[]>();
  labels.forEach((l, i) => {
    const list = byClass.get(l) ?? [];
    list.push(i);
    byClass.set(l, list);
  });
  const positives: number[] = [];
  const negatives: number[][] = [];
  for (const a of anchors) {
    const label = labels[a];
    if (label === undefined) throw new Error(`contrastive sampling: anchor index ${a} outside 0..${labels.length - 1}`);
    const same = byClass.get(label)!.filter((i) => i !== a);
    if (same.length === 0) throw new Error(`contrastive sampling: class '${label}' has only one item, so anchor ${a} has no positive`);
    positives.push(same[Math.floor(rand() * same.length)]!);
    const others = labels.length - byClass.get(label)!.length;
    if (others < negativesPerAnchor) throw new Error(`contrastive sampling: anchor ${a} (class '${label}') needs ${negativesPerAnchor} negatives but only ${others} items are of other classes`);
    // Partial Fisher–Yates over the other-class indices.
    const pool = labels.map((_, i) => i).filter((i) => labels[i] !== label);
    for (let k = 0; k < negativesPerAnchor; k++) {
      const j = k + Math.floor(rand() * (pool.length - k));
      [pool[k], pool[j]] = [pool[j]!, pool[k]!];
    }
    negatives.push(pool.slice(0, negativesPerAnchor));
  }
  return { positives, negatives };
}
