import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { StageContext } from '../../engine/stage/stage-definition.js';
import { readJson, writeJson } from '../common/json-file.js';
import { isTextBaseline } from './ablation.js';
import { combineSeeds, pairedDifference } from './evaluation-intervals.js';
import { METRIC_KEYS, type BootstrapSettings, type EvaluationRecord, type MetricKey } from './metric-names.js';
import type { PaperTablesParams } from './paper-tables.js';

interface ReportedRow {
  method: string;
  domain: string;
  AIS?: number;
  AIC?: number;
  IIS?: number;
  FID?: number;
}
interface Reported {
  source: string;
  tables: Record<string, { title: string; rows: ReportedRow[] }>;
}

export interface CellInterval {
  low: number;
  high: number;
}

export interface TableRow {
  method: string;
  source: 'ours' | 'reported';
  /** Ours: the full method (base), an ablation of it, or a text-prompted reference row. */
  kind?: 'base' | 'ablation' | 'baseline';
  cells: Record<string, number | null>; // column name → value
  /** Ours: the 95 % bootstrap interval of each cell. */
  intervals?: Record<string, CellInterval | null>;
  /** Ours, ablation rows: the paired bootstrap interval of (this row − the base row) per cell. */
  differences?: Record<string, (CellInterval & { estimate: number }) | null>;
  /** Ours, trained with several seeds: each cell's standard deviation across seeds (cells are seed means). */
  spreads?: Record<string, number | null>;
  /** Ours: the number of training seeds behind each cell (1 unless the profile sets `seeds`). */
  seeds?: number;
}
export interface BuiltTable {
  name: string;
  title: string;
  columns: string[];
  rows: TableRow[];
  notes: string[];
}

const DOMAIN_ORDER = ['landscape', 'hits', 'voices'];

function formatNumber(column: string, v: number, digits: number): string {
  return column.includes('FID') ? v.toFixed(1) : v.toFixed(digits);
}

/**
 * A cell as shown in markdown and CSV: `0.528 [0.41, 0.64]` (the interval when there is one), with several
 * training seeds `0.528 ± 0.031 [0.41, 0.64]` (mean ± standard deviation across seeds).
 */
export function formatCell(column: string, v: number | null | undefined, interval?: CellInterval | null, spread?: number | null): string {
  if (v === null || v === undefined) return '';
  const value = formatNumber(column, v, 3) + (spread !== null && spread !== undefined ? ` ± ${formatNumber(column, spread, 3)}` : '');
  return interval ? `${value} [${formatNumber(column, interval.low, 2)}, ${formatNumber(column, interval.high, 2)}]` : value;
}

/** Records of the same domain and task (one per training seed), in first-seen order. */
function bySeedGroup(records: readonly EvaluationRecord[]): EvaluationRecord[][] {
  const groups = new Map<string, EvaluationRecord[]>();
  for (const r of records) {
    const key = `${r.task}\n${r.domain}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()];
}

export function buildTable(name: string, records: readonly EvaluationRecord[], reported: Reported | null, world: string, bootstrap?: BootstrapSettings): BuiltTable {
  const mine = records.filter((r) => r.tables.includes(name));
  const rep = reported?.tables[name];
  const domains = [...new Set([...mine.map((r) => r.domain), ...(rep?.rows ?? []).map((r) => r.domain)])].sort((a, b) => rank(a) - rank(b));
  const fidName = (d: string) => mine.find((r) => r.domain === d)?.names.FID ?? `${d} FID`;
  const columnOf = (d: string, k: MetricKey) => (k === 'FID' ? fidName(d) : `${d} ${k}`);
  const columns = domains.flatMap((d) => METRIC_KEYS.map((k) => columnOf(d, k)));
  // Ours: the full model, the ablations in the order of the records, the text-prompted reference rows; then the
  // methods only the paper reports.
  const ordered = [...mine.filter((r) => r.base), ...mine.filter((r) => !r.base && !isTextBaseline(r.ablation)), ...mine.filter((r) => !r.base && isTextBaseline(r.ablation))];
  const methods = [...new Set([...ordered.map((r) => r.method), ...(rep?.rows ?? []).map((r) => r.method)])];
  const rows: TableRow[] = [];
  for (const method of methods) {
    const ours = mine.filter((r) => r.method === method);
    if (ours.length > 0) {
      const cells: Record<string, number | null> = Object.fromEntries(columns.map((c) => [c, null]));
      const intervals: Record<string, CellInterval | null> = Object.fromEntries(columns.map((c) => [c, null]));
      const differences: NonNullable<TableRow['differences']> = Object.fromEntries(columns.map((c) => [c, null]));
      const spreads: Record<string, number | null> = Object.fromEntries(columns.map((c) => [c, null]));
      const kind = ours.some((r) => r.base) ? 'base' : ours.some((r) => isTextBaseline(r.ablation)) ? 'baseline' : 'ablation';
      let seeds = 1;
      for (const group of bySeedGroup(ours)) {
        const r = group[0]!;
        const settings = bootstrap ?? r.bootstrap;
        const combined = combineSeeds(group, settings);
        if (!combined) throw new Error(`paper-tables: ${group.length} evaluations of ${method} on ${r.domain} ${r.task} are not of the same test clips`);
        seeds = Math.max(seeds, combined.seeds);
        for (const k of METRIC_KEYS) {
          cells[r.names[k]] = combined.values[k];
          intervals[r.names[k]] = { low: combined.intervals[k].low, high: combined.intervals[k].high };
          spreads[r.names[k]] = combined.spread[k];
        }
        const base = kind === 'ablation' ? mine.filter((b) => b.base && b.domain === r.domain && b.task === r.task) : [];
        if (base.length > 0) for (const k of METRIC_KEYS) differences[r.names[k]] = pairedDifference(group, base, k, settings);
      }
      rows.push({ method, source: 'ours', kind, cells, intervals, ...(seeds > 1 ? { spreads, seeds } : {}), ...(kind === 'ablation' ? { differences } : {}) });
    }
    const theirs = (rep?.rows ?? []).filter((r) => r.method === method);
    if (theirs.length > 0) {
      const cells: Record<string, number | null> = Object.fromEntries(columns.map((c) => [c, null]));
      for (const r of theirs) for (const k of METRIC_KEYS) if (typeof r[k] === 'number') cells[columnOf(r.domain, k)] = r[k]!;
      rows.push({ method, source: 'reported', cells });
    }
  }
  const fidSpaces = [...new Set(mine.map((r) => r.fidFeatures))];
  const level = mine[0]?.bootstrap.level ?? 0.95;
  const notes = [
    'AIS and IIS are win rates (chance ≈ 0.5); AIC is zero-shot accuracy against the sorted class labels (chance = 1/#classes).',
    ...(mine.length > 0 ? [`Our cells: value [${Math.round(level * 100)} % percentile-bootstrap interval over the test clips] (${mine[0]!.bootstrap.resamples} resamples; FID: ${mine[0]!.bootstrap.fidResamples} resamples of both the generated and the reference images). The "reported" rows are single numbers, as in the paper.`] : []),
    ...(fidSpaces.length > 0 ? [`Our FID is computed in ${fidSpaces.join(', ')} feature space; the paper's reported FID uses Inception-v3 features, so the scales are not comparable.`] : []),
    ...(rep ? [`"reported" rows: ${reported!.source}`] : []),
  ];
  const seedCounts = [...new Set(rows.map((r) => r.seeds ?? 1))];
  if (seedCounts.some((n) => n > 1)) notes.push(`Rows trained with several seeds (${seedCounts.filter((n) => n > 1).join(', ')}) show mean ± standard deviation across seeds; their interval resamples the test clips once for all seeds.`);
  const chance = mine.map((r) => `${r.domain}: ${r.chance.AIC.toFixed(3)}`);
  if (chance.length > 0) notes.push(`AIC chance: ${[...new Set(chance)].join(', ')}.`);
  const title = `${rep?.title ?? name}${world ? ` — ${world}` : ''}`;
  return { name, title, columns, rows, notes };
}

function rank(d: string): number {
  const i = DOMAIN_ORDER.indexOf(d);
  return i < 0 ? DOMAIN_ORDER.length : i;
}

export function tableMarkdown(t: BuiltTable): string {
  const head = ['method', 'source', ...t.columns];
  const lines = [`# ${t.title}`, '', `| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of t.rows) lines.push(`| ${[r.method, r.source, ...t.columns.map((c) => formatCell(c, r.cells[c], r.intervals?.[c], r.spreads?.[c]) || '—')].join(' | ')} |`);
  lines.push('', ...t.notes.map((n) => `- ${n}`), '');
  return lines.join('\n');
}

export function tableCsv(t: BuiltTable): string {
  return stringify(
    t.rows.map((r) => [r.method, r.source, ...t.columns.map((c) => formatCell(c, r.cells[c], r.intervals?.[c], r.spreads?.[c]))]),
    { header: true, columns: ['method', 'source', ...t.columns] },
  );
}

export async function buildTables(ctx: StageContext<PaperTablesParams>): Promise<void> {
  const files = ([] as string[]).concat(ctx.inputs.metrics ?? []);
  const records = files.map((f) => readJson<EvaluationRecord>(f, 'an evaluation record'));
  const reported = typeof ctx.inputs.reported === 'string' ? readJson<Reported>(ctx.inputs.reported, 'the reported numbers') : null;
  const out = ctx.outputs.tables!;
  mkdirSync(out, { recursive: true });
  const { resamples, fidResamples, level, seed } = ctx.params;
  const built = ctx.params.tables.map((name) => buildTable(name, records, reported, ctx.params.world, { resamples, fidResamples, level, seed }));
  // tables.json keeps the records without their per-item samples (the evaluate outputs have them).
  const summaries = records.map(({ samples: _samples, ...rest }) => rest);
  for (const t of built) {
    writeFileSync(join(out, `${t.name}.md`), tableMarkdown(t));
    writeFileSync(join(out, `${t.name}.csv`), tableCsv(t));
    ctx.log(`${t.name}: ${t.rows.filter((r) => r.source === 'ours').length} rows of ours, ${t.rows.filter((r) => r.source === 'reported').length} reported`);
  }
  writeJson(join(out, 'tables.json'), { tables: built, records: summaries });
}
