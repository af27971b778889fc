// Finding stage runs by the name a user types (an expanded id, or a base id with one instance), for
// `sonic logs` and the UI. Read-only; built on the store's public read methods.
import { closeNames } from '../config/suggest.js';
import { StoreError } from './errors.js';
import type { SqliteRunStore } from './run-store.js';
import type { StageRunRecord } from './store-api.js';

export class StageLookupError extends StoreError {
  override readonly name = 'StageLookupError';
}

/** Every stage id the store has a record of, sorted. */
export function recordedStageIds(store: SqliteRunStore): string[] {
  return store.query('SELECT DISTINCT stage_id FROM stage_runs ORDER BY stage_id').map((r) => String(r.stage_id));
}

/**
 * The stage runs of `name` (expanded id or base id), newest first, in run `runId` when given. A base id that
 * stands for several instances is an error listing them, so a log never comes from a guessed instance.
 */
export function stageRunsNamed(store: SqliteRunStore, name: string, runId?: number): StageRunRecord[] {
  const where = runId === undefined ? '' : ' AND run_id = ?';
  const args = runId === undefined ? [name, name] : [name, name, runId];
  const rows = store.query(`SELECT id, stage_id FROM stage_runs WHERE (stage_id = ? OR base_id = ?)${where} ORDER BY id DESC`, args);
  if (rows.length === 0) {
    const known = runId === undefined ? recordedStageIds(store) : store.stageRunsOf(runId).map((s) => s.stageId);
    const close = closeNames(name, [...known, ...known.map((id) => id.replace(/\[.*$/, ''))]);
    const hint = close.length > 0 ? ` (did you mean ${close.map((c) => `"${c}"`).join(' or ')}?)` : '';
    throw new StageLookupError(`no stage "${name}" ${runId === undefined ? 'in any recorded run' : `in run ${runId}`}${hint}`);
  }
  const ids = [...new Set(rows.map((r) => String(r.stage_id)))];
  if (ids.length > 1) {
    throw new StageLookupError(`"${name}" has ${ids.length} instances; name one of: ${ids.sort().join(', ')}`);
  }
  return rows.map((r) => store.stageRun(Number(r.id))!);
}

/** The stage run whose log tells the story of `rec`: itself, or for a cached run the one that made its outputs. */
export function executedStageRun(store: SqliteRunStore, rec: StageRunRecord): StageRunRecord {
  return rec.status === 'cached' ? store.stageRun(store.resolveSource(rec.id))! : rec;
}
