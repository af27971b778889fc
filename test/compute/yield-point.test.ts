import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isOperationAborted, OperationAbortedError, yieldPoint } from '../../src/compute/yield-point.js';

test('a yield point gives the event loop a turn only once the interval has passed', async () => {
  let clock = 0;
  const point = yieldPoint(undefined, { intervalMs: 200, now: () => clock });
  const turnsAt: number[] = [];
  for (let step = 0; step < 100; step++) {
    let turned = false;
    setImmediate(() => (turned = true)); // runs only if the call below gives the event loop a turn
    await point();
    if (turned) turnsAt.push(clock);
    clock += 10;
  }
  assert.deepEqual(turnsAt, [200, 400, 600, 800]);
});

test('a yield point lets a pending abort (a signal handler) run, then throws a recognizable error', async () => {
  const controller = new AbortController();
  const point = yieldPoint(controller.signal, { intervalMs: 0 });
  setImmediate(() => controller.abort(new Error('interrupted')));
  let steps = 0;
  const err = await (async () => {
    for (;;) {
      await point();
      steps++;
      if (steps > 1000) return new Error('never aborted');
    }
  })().catch((e: unknown) => e);
  assert.ok(isOperationAborted(err), `expected OperationAbortedError, got ${String(err)}`);
  assert.ok(err instanceof OperationAbortedError);
  assert.equal(err.name, 'AbortError');
  assert.equal(err.message, 'aborted: interrupted');
  assert.ok(steps < 5, `stopped after ${steps} steps`);
});

test('an already aborted signal throws at the next call without waiting for the interval', async () => {
  const controller = new AbortController();
  const point = yieldPoint(controller.signal, { intervalMs: 60_000 });
  await point();
  controller.abort();
  await assert.rejects(point(), (e: unknown) => isOperationAborted(e) && /^aborted/.test((e as Error).message));
});

test('a yield point without a signal never throws (its cost per call is measured in bench/micro/yield-point.ts)', async () => {
  let clock = 0;
  const point = yieldPoint(undefined, { intervalMs: 0, now: () => clock++ });
  for (let i = 0; i < 10_000; i++) await point(); // every call gives the event loop a turn
});
