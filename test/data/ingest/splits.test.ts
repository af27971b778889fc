import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assignSplits, splitCounts, type SplitItem } from '../../../src/data/ingest/splits.js';

const fractions = { train: 0.8, val: 0.1, test: 0.1 };

function items(): SplitItem[] {
  const out: SplitItem[] = [];
  const labels = ['a', 'b', 'c', ''];
  for (let g = 0; g < 80; g++) {
    const label = labels[g % 4]!;
    for (let w = 0; w < 1 + (g % 3); w++) out.push({ id: `v${g}_${w}`, group: `v${g}`, label });
  }
  return out;
}

test('split counts: largest remainder, ties favour test then val', () => {
  assert.deepEqual(splitCounts(10, fractions), { train: 8, val: 1, test: 1 });
  assert.deepEqual(splitCounts(3, { train: 1, val: 1, test: 1 }), { train: 1, val: 1, test: 1 });
  assert.deepEqual(splitCounts(2, { train: 0.5, val: 0.25, test: 0.25 }), { train: 1, val: 0, test: 1 });
  assert.deepEqual(splitCounts(0, fractions), { train: 0, val: 0, test: 0 });
  assert.deepEqual(splitCounts(7, { train: 0, val: 0, test: 1 }), { train: 0, val: 0, test: 7 });
});

test('splits: grouped, stratified per label, deterministic, seed-dependent, order-independent', () => {
  const all = items();
  const a = assignSplits(all, { fractions, seed: 1 }).split;
  const again = assignSplits([...all].reverse(), { fractions, seed: 1 }).split;
  const other = assignSplits(all, { fractions, seed: 2 }).split;
  assert.deepEqual([...a].sort(), [...again].sort(), 'input order does not matter');
  assert.notDeepEqual([...a].sort(), [...other].sort(), 'seed matters');
  const groupSplit = new Map<string, string>();
  for (const it of all) {
    const s = a.get(it.id)!;
    assert.ok(s, `${it.id} assigned`);
    const prev = groupSplit.get(it.group);
    if (prev) assert.equal(s, prev, `group ${it.group} in one split`);
    groupSplit.set(it.group, s);
  }
  for (const label of ['a', 'b', 'c', '']) {
    const groups = [...new Set(all.filter((i) => i.label === label).map((i) => i.group))];
    const per = { train: 0, val: 0, test: 0 } as Record<string, number>;
    for (const g of groups) per[groupSplit.get(g)!]! += 1;
    assert.deepEqual(per, { train: 16, val: 2, test: 2 }, `label '${label}' stratified by group`);
  }
});

test('splits: official lists win by item key, then the rest is split by seed', () => {
  const all = items();
  const official = new Map([['v0_0', 'test' as const], ['v1', 'val' as const], ['landscape_v2', 'test' as const]]);
  const withKeys = all.map((i) => (i.group === 'v2' ? { ...i, listKeys: [`landscape_${i.group}`] } : i));
  const { split, listed } = assignSplits(withKeys, { fractions, seed: 1, official });
  assert.equal(split.get('v0_0'), 'test');
  assert.equal(split.get('v1_0'), 'val');
  assert.equal(split.get('v1_1'), 'val');
  for (const i of all.filter((x) => x.group === 'v2')) assert.equal(split.get(i.id), 'test');
  assert.equal(listed, 1 + 2 + 3);
  assert.equal(split.size, all.length);
});
