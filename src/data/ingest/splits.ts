// Deterministic, seeded train/val/test assignment, stratified by label and grouped (all items of a group,
// e.g. the windows of one video, land in the same split so near-duplicates never straddle train and test).
import { hashString } from '../sonictoy/prng.js';
import type { Split } from '../manifest/index.js';

export interface SplitFractions {
  train: number;
  val: number;
  test: number;
}

export interface SplitItem {
  id: string;
  /** Items sharing a group share a split. */
  group: string;
  /** '' for unlabeled; unlabeled groups form their own stratum. */
  label: string;
  /** Names under which official split lists may mention this item; default [id, group]. */
  listKeys?: readonly string[];
}

export interface SplitOptions {
  fractions: SplitFractions;
  seed: number;
  /** Official lists: name → split. An item takes the entry of its first listed key (see SplitItem.listKeys). */
  official?: ReadonlyMap<string, Split>;
}

export interface SplitAssignment {
  split: Map<string, Split>;
  /** Items placed by the official lists. */
  listed: number;
}

const ORDER: readonly Split[] = ['train', 'val', 'test'];

/** Split n groups by largest remainder; ties go to test, then val, so small strata still feed evaluation. */
export function splitCounts(n: number, f: SplitFractions): Record<Split, number> {
  const total = f.train + f.val + f.test;
  const exact = ORDER.map((s) => (n * f[s]) / total);
  const counts = exact.map(Math.floor);
  let left = n - counts.reduce((a, b) => a + b, 0);
  const byRemainder = [2, 1, 0].sort((a, b) => exact[b]! - counts[b]! - (exact[a]! - counts[a]!));
  for (const k of byRemainder) {
    if (left <= 0) break;
    counts[k]! += 1;
    left -= 1;
  }
  return { train: counts[0]!, val: counts[1]!, test: counts[2]! };
}

/** The stratum of a group: its most frequent label (ties: alphabetical). */
function groupLabel(labels: string[]): string {
  const count = new Map<string, number>();
  for (const l of labels) count.set(l, (count.get(l) ?? 0) + 1);
  return [...count.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
}

export function assignSplits(items: readonly SplitItem[], options: SplitOptions): SplitAssignment {
  const split = new Map<string, Split>();
  let listed = 0;
  const rest: SplitItem[] = [];
  for (const item of items) {
    const keys = item.listKeys ?? [item.id, item.group];
    const official = options.official ? keys.map((k) => options.official!.get(k)).find((s) => s !== undefined) : undefined;
    if (official) {
      split.set(item.id, official);
      listed += 1;
    } else rest.push(item);
  }
  const groups = new Map<string, string[]>();
  for (const item of rest) {
    const labels = groups.get(item.group) ?? [];
    labels.push(item.label);
    groups.set(item.group, labels);
  }
  const strata = new Map<string, string[]>();
  for (const [group, labels] of groups) {
    const label = groupLabel(labels);
    strata.set(label, [...(strata.get(label) ?? []), group]);
  }
  const groupSplit = new Map<string, Split>();
  for (const [label, members] of [...strata.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const order = members
      .map((g) => ({ g, h: hashString(`split/${options.seed}/${label}/${g}`) }))
      .sort((a, b) => a.h - b.h || (a.g < b.g ? -1 : 1))
      .map((x) => x.g);
    const counts = splitCounts(order.length, options.fractions);
    let at = 0;
    for (const s of ORDER) for (let k = 0; k < counts[s]; k++) groupSplit.set(order[at++]!, s);
  }
  for (const item of rest) split.set(item.id, groupSplit.get(item.group)!);
  return { split, listed };
}
