// Two sets of metrics side by side (typically two runs), matched on stage, name, step and tags.
import type { MetricRecord } from '../store/store-api.js';
import type { Table } from './table.js';

export interface DiffOptions {
  labelA?: string; // column label of the first side; default "a"
  labelB?: string; // default "b"
  title?: string;
  changedOnly?: boolean; // drop rows whose values are equal on both sides
}

const collator = new Intl.Collator('en', { numeric: true });

function matchKey(m: MetricRecord): string {
  return JSON.stringify([m.stageId, m.name, m.step, m.tags]);
}

function byKey(records: MetricRecord[]): Map<string, MetricRecord> {
  const out = new Map<string, MetricRecord>();
  // when a metric was recorded more than once, the latest recording wins
  for (const m of [...records].sort((a, b) => a.id - b.id)) out.set(matchKey(m), m);
  return out;
}

/**
 * Columns: stage, name, step, tags, A, B, delta (= B - A), delta % (= 100·delta/|A|, empty when A = 0).
 * Metrics present on one side only have an empty cell on the other side and no delta.
 */
export function diffTable(metricsA: MetricRecord[], metricsB: MetricRecord[], options: DiffOptions = {}): Table {
  const a = byKey(metricsA);
  const b = byKey(metricsB);
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  const rows = keys
    .map((k) => {
      const ma = a.get(k);
      const mb = b.get(k);
      const m = (ma ?? mb)!;
      const va = ma?.value ?? null;
      const vb = mb?.value ?? null;
      const delta = va !== null && vb !== null ? vb - va : null;
      const rel = delta !== null && va !== null && va !== 0 ? (100 * delta) / Math.abs(va) : null;
      return {
        stage: m.stageId,
        name: m.name,
        step: m.step,
        tags: Object.entries(m.tags)
          .map(([tk, tv]) => `${tk}=${tv}`)
          .join(','),
        a: va,
        b: vb,
        delta,
        rel,
      };
    })
    .filter((r) => !options.changedOnly || !(r.a !== null && r.b !== null && (r.a === r.b || (Number.isNaN(r.a) && Number.isNaN(r.b)))))
    .sort(
      (x, y) =>
        collator.compare(x.stage, y.stage) ||
        collator.compare(x.name, y.name) ||
        (x.step ?? -Infinity) - (y.step ?? -Infinity) ||
        collator.compare(x.tags, y.tags),
    );
  return {
    ...(options.title !== undefined ? { title: options.title } : {}),
    columns: [
      { key: 'stage', label: 'stage' },
      { key: 'name', label: 'name' },
      { key: 'step', label: 'step' },
      { key: 'tags', label: 'tags' },
      { key: 'a', label: options.labelA ?? 'a', align: 'right' },
      { key: 'b', label: options.labelB ?? 'b', align: 'right' },
      { key: 'delta', label: 'delta', align: 'right' },
      { key: 'rel', label: 'delta %', align: 'right' },
    ],
    rows,
  };
}
