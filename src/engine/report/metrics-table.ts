// Metrics as a table: a plain listing, or a pivot with chosen dimensions on rows and columns.
import type { MetricRecord } from '../store/store-api.js';
import type { Cell, Column, Table } from './table.js';

/** `stage`, `name`, `step`, `run`, or `tag:KEY`. */
export type Dimension = string;

/** How several records that land in one cell combine. `unique` (default): they must agree. */
export const AGGREGATIONS = ['unique', 'last', 'first', 'mean', 'min', 'max'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

export interface PivotSpec {
  rows: Dimension[];
  columns: Dimension[];
  value?: Aggregation;
  title?: string;
}

export class MetricsTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetricsTableError';
  }
}

const PLAIN_DIMENSIONS = ['stage', 'name', 'step', 'run'] as const;

export function checkDimension(dim: string): void {
  if ((PLAIN_DIMENSIONS as readonly string[]).includes(dim)) return;
  if (dim.startsWith('tag:') && dim.length > 4) return;
  throw new MetricsTableError(
    `unknown dimension ${JSON.stringify(dim)}: expected one of stage, name, step, run, or tag:KEY`,
  );
}

function dimValue(m: MetricRecord, dim: Dimension): string | number | null {
  switch (dim) {
    case 'stage':
      return m.stageId;
    case 'name':
      return m.name;
    case 'step':
      return m.step;
    case 'run':
      return m.runId;
    default:
      return m.tags[dim.slice(4)] ?? null;
  }
}

function dimLabel(dim: Dimension): string {
  return dim.startsWith('tag:') ? dim.slice(4) : dim;
}

const collator = new Intl.Collator('en', { numeric: true });

function compareValues(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

function compareTuples(a: (string | number | null)[], b: (string | number | null)[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareValues(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return 0;
}

function formatTags(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

function sameValue(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

function aggregate(records: MetricRecord[], how: Aggregation, describeCell: () => string, usedDims: Dimension[]): number {
  const values = records.map((r) => r.value);
  switch (how) {
    case 'unique': {
      const distinct = values.filter((v, i) => values.findIndex((w) => sameValue(v, w)) === i);
      if (distinct.length > 1) {
        throw new MetricsTableError(
          `metrics table: cell ${describeCell()} gets ${distinct.length} different values ` +
            `(${distinct.slice(0, 3).join(', ')}${distinct.length > 3 ? ', …' : ''}); ` +
            `${suggestDimensions(records, usedDims)}`,
        );
      }
      return values[0]!;
    }
    case 'first':
    case 'last': {
      const sorted = [...records].sort((a, b) => compareValues(a.step, b.step) || a.id - b.id);
      return (how === 'first' ? sorted[0] : sorted[sorted.length - 1])!.value;
    }
    case 'mean':
      return values.reduce((s, v) => s + v, 0) / values.length;
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
  }
}

/** Names the dimensions (not already used) on which the conflicting records differ. */
function suggestDimensions(records: MetricRecord[], usedDims: Dimension[]): string {
  const candidates: Dimension[] = [...PLAIN_DIMENSIONS];
  const tagKeys = new Set(records.flatMap((r) => Object.keys(r.tags)));
  for (const k of [...tagKeys].sort()) candidates.push(`tag:${k}`);
  const differing = candidates.filter(
    (d) => !usedDims.includes(d) && new Set(records.map((r) => String(dimValue(r, d)))).size > 1,
  );
  const hint =
    differing.length > 0
      ? `add a dimension that tells them apart to the rows or columns (${differing.join(', ')})`
      : 'the records differ in no dimension (the same metric was recorded twice); narrow the selection';
  return `${hint}, or choose how to combine them (value: ${AGGREGATIONS.filter((a) => a !== 'unique').join('|')})`;
}

/** Every record: run, stage, name, step, tags, value. */
export function metricsListing(records: MetricRecord[], title?: string): Table {
  const sorted = [...records].sort(
    (a, b) =>
      compareValues(a.stageId, b.stageId) ||
      compareValues(a.name, b.name) ||
      compareValues(a.step, b.step) ||
      a.runId - b.runId ||
      a.id - b.id,
  );
  return {
    ...(title !== undefined ? { title } : {}),
    columns: [
      { key: 'run', label: 'run' },
      { key: 'stage', label: 'stage' },
      { key: 'name', label: 'name' },
      { key: 'step', label: 'step' },
      { key: 'tags', label: 'tags' },
      { key: 'value', label: 'value', align: 'right' },
    ],
    rows: sorted.map((m) => ({
      run: m.runId,
      stage: m.stageId,
      name: m.name,
      step: m.step,
      tags: formatTags(m.tags),
      value: m.value,
    })),
  };
}

/**
 * Pivot: one row per distinct combination of the `rows` dimensions, one value column per distinct
 * combination of the `columns` dimensions (a single `value` column when there are none). With neither,
 * the plain listing.
 */
export function metricsTable(records: MetricRecord[], spec: PivotSpec): Table {
  for (const d of [...spec.rows, ...spec.columns]) checkDimension(d);
  const both = spec.rows.filter((d) => spec.columns.includes(d));
  if (both.length > 0) throw new MetricsTableError(`dimension ${both[0]} is on both rows and columns`);
  if (spec.rows.length === 0 && spec.columns.length === 0) return metricsListing(records, spec.title);

  const how = spec.value ?? 'unique';
  const rowKeys = new Map<string, (string | number | null)[]>();
  const colKeys = new Map<string, (string | number | null)[]>();
  const cells = new Map<string, MetricRecord[]>();
  for (const m of records) {
    const r = spec.rows.map((d) => dimValue(m, d));
    const c = spec.columns.map((d) => dimValue(m, d));
    const rk = JSON.stringify(r);
    const ck = JSON.stringify(c);
    rowKeys.set(rk, r);
    colKeys.set(ck, c);
    const key = `${rk}\u0000${ck}`;
    const list = cells.get(key);
    if (list === undefined) cells.set(key, [m]);
    else list.push(m);
  }
  const sortedRows = [...rowKeys.entries()].sort((a, b) => compareTuples(a[1], b[1]));
  const sortedCols = [...colKeys.entries()].sort((a, b) => compareTuples(a[1], b[1]));

  const columns: Column[] = spec.rows.map((d) => ({ key: d, label: dimLabel(d) }));
  const usedKeys = new Set(columns.map((c) => c.key));
  const cellColumnKey = new Map<string, string>();
  for (const [ck, values] of sortedCols) {
    let label =
      spec.columns.length === 0
        ? 'value'
        : values.map((v) => (v === null ? '-' : String(v))).join(' / ');
    if (label === '') label = '-';
    let key = label;
    while (usedKeys.has(key)) key = `=${key}`;
    usedKeys.add(key);
    cellColumnKey.set(ck, key);
    columns.push({ key, label, align: 'right' });
  }

  const usedDims = [...spec.rows, ...spec.columns];
  const rows = sortedRows.map(([rk, rValues]) => {
    const row: Record<string, Cell> = {};
    spec.rows.forEach((d, i) => (row[d] = rValues[i] ?? null));
    for (const [ck, cValues] of sortedCols) {
      const recs = cells.get(`${rk}\u0000${ck}`);
      const colKey = cellColumnKey.get(ck)!;
      if (recs === undefined) {
        row[colKey] = null;
        continue;
      }
      const describe = () =>
        '(' +
        [...spec.rows.map((d, i) => `${dimLabel(d)}=${rValues[i]}`), ...spec.columns.map((d, i) => `${dimLabel(d)}=${cValues[i]}`)].join(', ') +
        ')';
      row[colKey] = aggregate(recs, how, describe, usedDims);
    }
    return row;
  });
  return { ...(spec.title !== undefined ? { title: spec.title } : {}), columns, rows };
}
