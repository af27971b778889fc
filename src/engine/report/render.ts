// Renderers of the table model: aligned terminal text, GitHub markdown, CSV and JSON.
import { stringify } from 'csv-stringify/sync';
import { columnAlign, type Cell, type Table } from './table.js';
import { formatExact, formatHuman } from './format-number.js';

export const TABLE_FORMATS = ['table', 'md', 'csv', 'json'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

export function isTableFormat(s: string): s is TableFormat {
  return (TABLE_FORMATS as readonly string[]).includes(s);
}

function humanCell(v: Cell | undefined): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'number' ? formatHuman(v) : v;
}

function visibleWidth(s: string): number {
  return [...s].length;
}

function pad(s: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - visibleWidth(s)));
  return align === 'right' ? fill + s : s + fill;
}

const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/** Columns separated by two spaces, a dashed rule under the header, trailing spaces trimmed. */
export function renderTerminal(table: Table, options: { color?: boolean } = {}): string {
  const color = options.color ?? false;
  const texts = table.rows.map((row) => table.columns.map((c) => humanCell(row[c.key]).replace(/\s+/g, ' ')));
  const widths = table.columns.map((c, i) =>
    Math.max(visibleWidth(c.label), ...texts.map((t) => visibleWidth(t[i]!))),
  );
  const aligns = table.columns.map((c) => columnAlign(table, c));
  const line = (cells: string[]) => cells.map((s, i) => pad(s, widths[i]!, aligns[i]!)).join('  ').trimEnd();
  const out: string[] = [];
  if (table.title !== undefined) out.push(color ? `${BOLD}${table.title}${RESET}` : table.title);
  const header = line(table.columns.map((c) => c.label));
  out.push(color ? `${BOLD}${header}${RESET}` : header);
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  out.push(color ? `${DIM}${rule}${RESET}` : rule);
  for (const t of texts) out.push(line(t));
  if (table.rows.length === 0) out.push('(no rows)');
  return out.join('\n') + '\n';
}

function mdEscape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function renderMarkdown(table: Table): string {
  const out: string[] = [];
  if (table.title !== undefined) out.push(`**${mdEscape(table.title)}**`, '');
  out.push(`| ${table.columns.map((c) => mdEscape(c.label)).join(' | ')} |`);
  out.push(`|${table.columns.map((c) => (columnAlign(table, c) === 'right' ? '---:' : ':---')).join('|')}|`);
  for (const row of table.rows) {
    out.push(`| ${table.columns.map((c) => mdEscape(humanCell(row[c.key]))).join(' | ')} |`);
  }
  return out.join('\n') + '\n';
}

/** Header = column labels; numbers at full precision; null = empty field. The title is not written. */
export function renderCsv(table: Table): string {
  const records = table.rows.map((row) =>
    table.columns.map((c) => {
      const v = row[c.key] ?? null;
      if (v === null) return '';
      return typeof v === 'number' ? formatExact(v) : v;
    }),
  );
  return stringify([table.columns.map((c) => c.label), ...records]);
}

/** An array of row objects keyed by column key, in column order. NaN and infinities become null. */
export function renderJson(table: Table): string {
  const rows = table.rows.map((row) =>
    Object.fromEntries(
      table.columns.map((c) => {
        const v = row[c.key] ?? null;
        return [c.key, typeof v === 'number' && !Number.isFinite(v) ? null : v];
      }),
    ),
  );
  return JSON.stringify(rows, null, 2) + '\n';
}

export function renderTable(table: Table, format: TableFormat, options: { color?: boolean } = {}): string {
  switch (format) {
    case 'table':
      return renderTerminal(table, options);
    case 'md':
      return renderMarkdown(table);
    case 'csv':
      return renderCsv(table);
    case 'json':
      return renderJson(table);
  }
}
