// Long tfjs loops (training steps, sampling chunks) are synchronous: while one runs, the stage worker's
// SIGTERM handler, which aborts the stage's AbortSignal, cannot run, so a cancelled stage would only stop
// on SIGKILL. A yield point called between steps gives the event loop a turn now and then and turns an
// aborted signal into an error the loop cannot miss.
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Thrown by a yield point once its signal is aborted. */
export class OperationAbortedError extends Error {
  constructor(readonly reason: unknown) {
    super(reason instanceof Error ? `aborted: ${reason.message}` : 'aborted');
    this.name = 'AbortError';
  }
}

export function isOperationAborted(err: unknown): err is OperationAbortedError {
  return err instanceof OperationAbortedError;
}

/** How long a loop may hold the event loop between two turns. */
export const YIELD_INTERVAL_MS = 200;

export interface YieldPointOptions {
  intervalMs?: number;
  /** The clock (milliseconds); tests pass a fake one. */
  now?: () => number;
}

/** Call between steps: resolves at once unless `intervalMs` passed since the last turn; throws OperationAbortedError once `signal` is aborted. */
export type YieldPoint = () => Promise<void>;

export function yieldPoint(signal?: AbortSignal, options: YieldPointOptions = {}): YieldPoint {
  const intervalMs = options.intervalMs ?? YIELD_INTERVAL_MS;
  const now = options.now ?? (() => performance.now());
  let last = now();
  return async () => {
    if (signal?.aborted) throw new OperationAbortedError(signal.reason);
    if (now() - last < intervalMs) return;
    await nextTurn();
    last = now();
    if (signal?.aborted) throw new OperationAbortedError(signal.reason);
  };
}
