// Records the key run events in the run store's event log (not progress, logs or metrics: those live in
// events.jsonl and the metrics table).
import type { RunStore } from '../store/store-api.js';
import type { RunEvent, RunEventListener } from './run-events.js';

const RECORDED = new Set<RunEvent['type']>(['run-started', 'stage-started', 'stage-finished', 'run-finished']);

export function storeSubscriber(store: Pick<RunStore, 'appendEvent'>, runId: number): RunEventListener {
  return (event) => {
    if (!RECORDED.has(event.type)) return;
    if (event.type === 'stage-finished' && event.status === 'cached') return; // the stage run row says it all
    const stageRunId = 'stageRunId' in event ? event.stageRunId : null;
    const { type, ...payload } = event;
    store.appendEvent(runId, stageRunId, type, payload);
  };
}
