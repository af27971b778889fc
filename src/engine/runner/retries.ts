// A stage's `retries:`: a failed attempt is followed by another after a delay that doubles each time
// (base, 2×base, 4×base, …), until one does not fail, the attempts run out or the run is stopped.

export interface RetryOptions<R> {
  maxAttempts: number;
  baseDelayMs: number;
  signal: AbortSignal; // stops retrying (and cuts a waiting delay short)
  /** Whether a result calls for another attempt (a failure of the stage, not of the engine). */
  shouldRetry(result: R): boolean;
  /** One attempt; `willRetry` says whether a failure of it would be retried (if the run is not stopped). */
  attempt(n: number, willRetry: boolean): Promise<R>;
}

export async function withRetries<R>(o: RetryOptions<R>): Promise<R> {
  const max = Math.max(1, o.maxAttempts);
  for (let n = 1; ; n++) {
    const willRetry = n < max;
    const result = await o.attempt(n, willRetry);
    if (!o.shouldRetry(result) || !willRetry || o.signal.aborted) return result;
    await abortableSleep(o.baseDelayMs * 2 ** (n - 1), o.signal);
    if (o.signal.aborted) return result;
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
