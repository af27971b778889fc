// Two or more runs side by side: their params (matched on stage and key) and their scalar metrics (matched on
// stage, name and tags), each run a column; metrics get a delta column per run against the first run.
import type { MetricRecord } from '../store/store-api.js';
import type { StageParams } from './params-diff-table.js';
import type { Cell, Table } from './table.js';

const collator = new Intl.Collator('en', { numeric: true });

export interface RunColumn<T> {
  label: string; // e.g. "run 3"
  data: T;
}

export function paramsCompareTable(runs: readonly RunColumn<StageParams[]>[], options: { changedOnly?: boolean } = {}): Table {
  const maps = runs.map((r) => new Map(r.data.map((s) => [s.stageId, s.params])));
  const stages = [...new Set(maps.flatMap((m) => [...m.keys()]))].sort(collator.compare);
  const rows: Table['rows'] = [];
  for (const stage of stages) {
    const keys = [...new Set(maps.flatMap((m) => Object.keys(m.get(stage) ?? {})))].sort(collator.compare);
    for (const key of keys) {
      const values = maps.map((m) => m.get(stage)?.[key] ?? null);
      const changed = new Set(values).size > 1;
      if (options.changedOnly && !changed) continue;
      rows.push({ stage, param: key, ...Object.fromEntries(values.map((v, i) => [`r${i}`, v])), changed: changed ? '*' : '' });
    }
  }
  return {
    columns: [
      { key: 'stage', label: 'stage' },
      { key: 'param', label: 'param' },
      ...runs.map((r, i) => ({ key: `r${i}`, label: r.label, align: 'left' as const })),
      { key: 'changed', label: 'changed' },
    ],
    rows,
  };
}

function tagText(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Scalar metrics only (step = null); step metrics are curves. The latest recording of a duplicate wins. */
export function metricsCompareTable(runs: readonly RunColumn<MetricRecord[]>[], options: { changedOnly?: boolean } = {}): Table {
  const key = (m: MetricRecord) => JSON.stringify([m.stageId, m.name, tagText(m.tags)]);
  const maps = runs.map((r) => {
    const map = new Map<string, MetricRecord>();
    for (const m of [...r.data].filter((x) => x.step === null).sort((a, b) => a.id - b.id)) map.set(key(m), m);
    return map;
  });
  const keys = [...new Set(maps.flatMap((m) => [...m.keys()]))];
  const rows = keys
    .map((k) => {
      const [stage, name, tags] = JSON.parse(k) as [string, string, string];
      const values = maps.map((m) => m.get(k)?.value ?? null);
      const first = values[0] ?? null;
      const row: Record<string, Cell> = { stage, name, tags };
      values.forEach((v, i) => {
        row[`r${i}`] = v;
        if (i > 0) row[`d${i}`] = v !== null && first !== null ? v - first : null;
      });
      const changed = values.some((v) => v !== first);
      row['changed'] = changed ? '*' : '';
      return row;
    })
    .filter((r) => !options.changedOnly || r['changed'] === '*')
    .sort((x, y) => collator.compare(String(x['stage']), String(y['stage'])) || collator.compare(String(x['name']), String(y['name'])) || collator.compare(String(x['tags']), String(y['tags'])));
  return {
    columns: [
      { key: 'stage', label: 'stage' },
      { key: 'name', label: 'name' },
      { key: 'tags', label: 'tags' },
      ...runs.map((r, i) => ({ key: `r${i}`, label: r.label, align: 'right' as const })),
      ...runs.slice(1).map((r, i) => ({ key: `d${i + 1}`, label: `Δ ${r.label} − ${runs[0]!.label}`, align: 'right' as const })),
    ],
    rows,
  };
}
