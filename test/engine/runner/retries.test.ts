// withRetries: attempts, the doubling delay, `willRetry`, and a stop that ends retrying at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withRetries } from '../../../src/engine/runner/retries.js';

test('a failing attempt is retried until one succeeds; each attempt knows whether a failure would be retried', async () => {
  const seen: [number, boolean][] = [];
  const result = await withRetries({
    maxAttempts: 4,
    baseDelayMs: 1,
    signal: new AbortController().signal,
    shouldRetry: (r: string) => r === 'failed',
    attempt: async (n, willRetry) => {
      seen.push([n, willRetry]);
      return n < 3 ? 'failed' : 'ok';
    },
  });
  assert.equal(result, 'ok');
  assert.deepEqual(seen, [[1, true], [2, true], [3, true]]);
});

test('after the last attempt the failure is returned; a result not to retry ends at once', async () => {
  let calls = 0;
  const signal = new AbortController().signal;
  const last = await withRetries({ maxAttempts: 3, baseDelayMs: 1, signal, shouldRetry: () => true, attempt: async (n, willRetry) => (calls++, `failed ${n} ${willRetry}`) });
  assert.equal(last, 'failed 3 false');
  assert.equal(calls, 3);
  calls = 0;
  const once = await withRetries({ maxAttempts: 3, baseDelayMs: 1, signal, shouldRetry: () => false, attempt: async () => (calls++, 'engine error') });
  assert.equal(once, 'engine error');
  assert.equal(calls, 1);
});

test('the delay doubles from the base, and an abort during a delay stops retrying', async () => {
  const delays: number[] = [];
  const realSetTimeout = globalThis.setTimeout;
  const ac = new AbortController();
  globalThis.setTimeout = ((fn: () => void, ms: number) => {
    delays.push(ms);
    if (delays.length === 2) queueMicrotask(() => ac.abort()); // abort while waiting before the third attempt
    else queueMicrotask(fn);
    return realSetTimeout(() => {}, 0);
  }) as typeof setTimeout;
  let calls = 0;
  try {
    const result = await withRetries({ maxAttempts: 5, baseDelayMs: 100, signal: ac.signal, shouldRetry: () => true, attempt: async () => (calls++, 'failed') });
    assert.equal(result, 'failed');
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
  assert.deepEqual(delays, [100, 200]);
  assert.equal(calls, 2);
});
