// The engine's table model (../table.ts) as an HTML table.
import { formatHuman } from '../format-number.js';
import { columnAlign, type Cell, type Table } from '../table.js';
import { escapeHtml } from './escape.js';

export interface HtmlTableOptions {
  /** A class for a row (e.g. 'reported'); rows are given in table order. */
  rowClass?: (row: Record<string, Cell>, index: number) => string | undefined;
  /** Markup for a cell instead of its escaped text (trusted). */
  cellHtml?: (key: string, value: Cell | undefined, row: Record<string, Cell>) => string | undefined;
  /** A header row above the column labels: consecutive columns under one label ('' for none). Spans must add up to the column count. */
  columnGroups?: ReadonlyArray<{ label: string; span: number }>;
}

function cellText(v: Cell | undefined): string {
  if (v === null || v === undefined) return '—';
  return typeof v === 'number' ? formatHuman(v) : v;
}

export function renderHtmlTable(table: Table, options: HtmlTableOptions = {}): string {
  const aligns = table.columns.map((c) => columnAlign(table, c));
  const groups = options.columnGroups;
  if (groups !== undefined && groups.reduce((a, g) => a + g.span, 0) !== table.columns.length) {
    throw new Error(`renderHtmlTable: column groups span ${groups.reduce((a, g) => a + g.span, 0)} columns, the table has ${table.columns.length}`);
  }
  const groupRow = groups ? `<tr class="groups">${groups.map((g) => `<th colspan="${g.span}"${g.label ? ' class="group"' : ''}>${escapeHtml(g.label)}</th>`).join('')}</tr>` : '';
  const head = table.columns.map((c, i) => `<th${aligns[i] === 'right' ? ' class="num"' : ''}>${escapeHtml(c.label)}</th>`).join('');
  const body = table.rows
    .map((row, r) => {
      const cls = options.rowClass?.(row, r);
      const cells = table.columns
        .map((c, i) => {
          const custom = options.cellHtml?.(c.key, row[c.key], row);
          return `<td${aligns[i] === 'right' ? ' class="num"' : ''}>${custom ?? escapeHtml(cellText(row[c.key]))}</td>`;
        })
        .join('');
      return `<tr${cls ? ` class="${escapeHtml(cls)}"` : ''}>${cells}</tr>`;
    })
    .join('\n');
  const caption = table.title !== undefined ? `<h3>${escapeHtml(table.title)}</h3>` : '';
  return `${caption}<div class="table-wrap"><table><thead>${groupRow}<tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}
