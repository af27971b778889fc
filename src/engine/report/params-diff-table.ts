// The resolved params of two runs side by side, matched on stage and key. Params are read from each stage
// run's fingerprint struct, so stages that failed or were cached have them too.
import type { StageRunRecord } from '../store/store-api.js';
import type { Table } from './table.js';

export interface StageParams {
  stageId: string;
  params: Record<string, string>; // dotted key -> canonical JSON of the value
}

const collator = new Intl.Collator('en', { numeric: true });

/** Nested objects become dotted keys (`sampler.steps`); arrays and scalars are leaves, written as JSON. */
export function flattenParams(value: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix !== '') out[prefix] = '{}';
    for (const [k, v] of entries) flattenParams(v, prefix === '' ? k : `${prefix}.${k}`, out);
  } else if (prefix !== '') {
    out[prefix] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}

/** One entry per stage id (the latest attempt of it in the run), params from its fingerprint struct. */
export function paramsOfStageRuns(stageRuns: StageRunRecord[]): StageParams[] {
  const latest = new Map<string, StageRunRecord>();
  for (const s of stageRuns) {
    const prev = latest.get(s.stageId);
    if (prev === undefined || prev.id < s.id) latest.set(s.stageId, s);
  }
  return [...latest.values()].map((s) => {
    let params: unknown = {};
    try {
      params = (JSON.parse(s.fingerprintJson) as { params?: unknown }).params ?? {};
    } catch {
      // an unreadable struct means no params to show, not a failed diff
    }
    return { stageId: s.stageId, params: flattenParams(params) };
  });
}

export interface ParamsDiffOptions {
  labelA?: string;
  labelB?: string;
  title?: string;
  changedOnly?: boolean;
  /** Keep only keys matching this predicate (the --name filter). */
  keyFilter?: (key: string) => boolean;
}

/** Columns: stage, param, A, B, changed ("*" where the values differ, or one side lacks the key). */
export function paramsDiffTable(a: StageParams[], b: StageParams[], options: ParamsDiffOptions = {}): Table {
  const side = (list: StageParams[]) => new Map(list.map((s) => [s.stageId, s.params]));
  const ma = side(a);
  const mb = side(b);
  const rows: Table['rows'] = [];
  for (const stage of [...new Set([...ma.keys(), ...mb.keys()])].sort(collator.compare)) {
    const pa = ma.get(stage) ?? {};
    const pb = mb.get(stage) ?? {};
    for (const key of [...new Set([...Object.keys(pa), ...Object.keys(pb)])].sort(collator.compare)) {
      if (options.keyFilter && !options.keyFilter(key)) continue;
      const va = pa[key] ?? null;
      const vb = pb[key] ?? null;
      const changed = va !== vb;
      if (options.changedOnly && !changed) continue;
      rows.push({ stage, param: key, a: va, b: vb, changed: changed ? '*' : '' });
    }
  }
  return {
    ...(options.title !== undefined ? { title: options.title } : {}),
    columns: [
      { key: 'stage', label: 'stage' },
      { key: 'param', label: 'param' },
      { key: 'a', label: options.labelA ?? 'a', align: 'left' },
      { key: 'b', label: options.labelB ?? 'b', align: 'left' },
      { key: 'changed', label: 'changed' },
    ],
    rows,
  };
}
