// Per-stage log files: the runner's own notes about a stage (start, attempt, outcome) are appended to the
// stage's log.txt next to the child's stdout/stderr, so one file tells the whole story of an attempt.
import { appendFileSync } from 'node:fs';
import type { RunEventListener } from './run-events.js';

export function logFileSubscriber(): RunEventListener {
  const logs = new Map<string, string>();
  const note = (stageId: string, text: string): void => {
    const path = logs.get(stageId);
    if (!path) return;
    try {
      appendFileSync(path, `[sonic ${new Date().toISOString()}] ${text}\n`);
    } catch {
      // the stage-run directory may be gone (cleaned up); the log note is best effort
    }
  };
  return (event) => {
    if (event.type === 'stage-started') {
      logs.set(event.stageId, event.logPath);
      note(event.stageId, `stage ${event.stageId} attempt ${event.attempt} started${event.gpus.length ? ` on GPUs ${event.gpus.join(',')}` : ''}${event.threads ? ` with ${event.threads.count} wasm thread${event.threads.count > 1 ? 's' : ''} (${event.threads.why})` : ''}`);
    } else if (event.type === 'stage-finished' && event.logPath) {
      logs.set(event.stageId, event.logPath);
      note(event.stageId, `stage ${event.stageId} ${event.status}${event.error ? `: ${event.error}` : ''}${event.willRetry ? ' (will retry)' : ''}`);
    }
  };
}
