// The scheduler on fake stages (no processes, no store): dependency order, the concurrency cap of each
// queue, skips after an upstream failure or a stop, and stages finished before scheduling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scheduleStages, type ScheduleHooks, type SchedulableStage } from '../../../src/engine/runner/scheduler.js';
import type { StageSummary } from '../../../src/engine/runner/run-summary.js';

interface Fake extends SchedulableStage {
  fails?: boolean;
  cluster?: boolean;
}

const fake = (id: string, deps: string[] = [], extra: Partial<Fake> = {}): Fake => ({ stage: { id }, deps, ...extra });
const summary = (stageId: string, status: StageSummary['status'], reason = ''): StageSummary => ({ stageId, status, reason, stageRunId: null, attempt: 1, logPath: null, durationMs: null });

/** Hooks that run each fake stage for a few event-loop turns and record what happened. */
function recorder(overrides: Partial<ScheduleHooks<Fake>> = {}) {
  const log: string[] = [];
  let running = { local: 0, cluster: 0 };
  const peak = { local: 0, cluster: 0 };
  const hooks: ScheduleHooks<Fake> = {
    localConcurrency: 2,
    clusterConcurrency: Infinity,
    onCluster: (p) => p.cluster === true,
    finished: () => undefined,
    stopped: () => false,
    stoppedReason: () => 'stopped',
    skip: (p, reason) => {
      log.push(`skip ${p.stage.id}: ${reason}`);
      return summary(p.stage.id, 'skipped', reason);
    },
    start: async (p) => {
      const q = p.cluster ? 'cluster' : 'local';
      running = { ...running, [q]: running[q] + 1 };
      peak[q] = Math.max(peak[q], running[q]);
      log.push(`start ${p.stage.id}`);
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      running = { ...running, [q]: running[q] - 1 };
      log.push(`end ${p.stage.id}`);
      return summary(p.stage.id, p.fails ? 'failed' : 'succeeded');
    },
    ...overrides,
  };
  return { hooks, log, peak };
}

test('a stage starts only after all its dependencies ended; independent stages share the local slots', async () => {
  const { hooks, log, peak } = recorder();
  const plan = [fake('a'), fake('b'), fake('c'), fake('d', ['a', 'b']), fake('e', ['d', 'c'])];
  const results = await scheduleStages(plan, hooks);
  assert.deepEqual(results.map((r) => `${r.stageId}:${r.status}`), ['a:succeeded', 'b:succeeded', 'c:succeeded', 'd:succeeded', 'e:succeeded']);
  const at = (entry: string) => log.indexOf(entry);
  assert.ok(at('start d') > at('end a') && at('start d') > at('end b'), log.join('\n'));
  assert.ok(at('start e') > at('end d') && at('start e') > at('end c'), log.join('\n'));
  assert.equal(peak.local, 2, 'three independent stages, two slots');
});

test('the cluster queue is not capped by the local slots', async () => {
  const { hooks, peak } = recorder({ localConcurrency: 1 });
  const plan = ['a', 'b', 'c', 'd'].map((id) => fake(id, [], { cluster: true })).concat([fake('x'), fake('y')]);
  await scheduleStages(plan, hooks);
  assert.equal(peak.cluster, 4);
  assert.equal(peak.local, 1);
});

test('a failed stage skips its dependents (naming it) and the others go on', async () => {
  const { hooks, log } = recorder();
  const plan = [fake('a', [], { fails: true }), fake('b'), fake('c', ['a']), fake('d', ['c']), fake('e', ['b'])];
  const results = await scheduleStages(plan, hooks);
  assert.deepEqual(results.map((r) => `${r.stageId}:${r.status}`), ['a:failed', 'b:succeeded', 'c:skipped', 'd:skipped', 'e:succeeded']);
  assert.ok(log.includes('skip c: upstream failed: a'), log.join('\n'));
  assert.ok(log.includes('skip d: upstream skipped: c'), log.join('\n'));
  assert.ok(!log.includes('start c') && !log.includes('start d'));
});

test('stages finished before scheduling are not started and count as done for their dependents', async () => {
  const cached = summary('a', 'cached');
  const { hooks, log } = recorder({ finished: (id) => (id === 'a' ? cached : undefined) });
  const results = await scheduleStages([fake('a'), fake('b', ['a'])], hooks);
  assert.equal(results[0], cached);
  assert.equal(results[1]!.status, 'succeeded');
  assert.ok(!log.includes('start a'));
});

test('once the run is stopped, stages not yet started are skipped with the stop reason', async () => {
  let stopped = false;
  const base = recorder();
  const { hooks, log } = recorder({
    stopped: () => stopped,
    stoppedReason: () => 'not started: run interrupted',
    start: async (p) => {
      const s = await base.hooks.start(p);
      if (p.stage.id === 'a') stopped = true;
      return s;
    },
  });
  const results = await scheduleStages([fake('a'), fake('b', ['a']), fake('c', ['b'])], hooks);
  assert.deepEqual(results.map((r) => r.status), ['succeeded', 'skipped', 'skipped']);
  assert.ok(log.includes('skip b: not started: run interrupted'));
  assert.ok(log.includes('skip c: upstream skipped: b'));
});

test('among ready stages the higher priority starts first; a priority pulls the chain leading to it forward', async () => {
  // One slot. Definition order alone would run a, b, d, c; c's priority passes to b (c depends on b).
  const { hooks, log } = recorder({ localConcurrency: 1 });
  const plan = [fake('a'), fake('b'), fake('c', ['b'], { stage: { id: 'c', priority: 5 } }), fake('d', [], { stage: { id: 'd', priority: 1 } })];
  await scheduleStages(plan, hooks);
  assert.deepEqual(log.filter((l) => l.startsWith('start')), ['start b', 'start c', 'start d', 'start a']);
});

test('without priorities the definition order decides', async () => {
  const { hooks, log } = recorder({ localConcurrency: 1 });
  await scheduleStages([fake('a'), fake('b'), fake('c', ['a']), fake('d')], hooks);
  assert.deepEqual(log.filter((l) => l.startsWith('start')), ['start a', 'start b', 'start d', 'start c']);
});
