import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectivePriorities, type PrioritizedStage } from '../../../src/engine/graph/priorities.js';

const s = (id: string, deps: string[] = [], priority?: number): PrioritizedStage => ({ stage: { id, priority }, deps });

test('a priority passes to every stage its stage depends on, directly or not, and not to others', () => {
  const plan = [s('data'), s('vae', ['data']), s('clip', ['data']), s('clap', ['data']), s('sd', ['vae', 'clip'], 3), s('eval', ['sd', 'clap'])];
  assert.deepEqual(Object.fromEntries(effectivePriorities(plan)), { data: 3, vae: 3, clip: 3, clap: 0, sd: 3, eval: 0 });
});

test('a stage keeps its own priority when it is higher than its dependents\'; a lower one is raised', () => {
  const plan = [s('a', [], 7), s('b', ['a'], 2), s('c', [], -1), s('d', ['c'], -2), s('e', [], -1), s('f', ['e'])];
  assert.deepEqual(Object.fromEntries(effectivePriorities(plan)), { a: 7, b: 2, c: -1, d: -2, e: 0, f: 0 });
});

test('the highest of several dependents wins', () => {
  const plan = [s('a'), s('b', ['a'], 1), s('c', ['a'], 4), s('d', ['b'], 2)];
  assert.equal(effectivePriorities(plan).get('a'), 4);
  assert.equal(effectivePriorities(plan).get('b'), 2);
});
