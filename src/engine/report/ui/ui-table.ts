// HTML tables for the UI: cells are escaped text, numbers (formatted like the terminal tables) or Html.
import { formatHuman } from '../format-number.js';
import type { Table } from '../table.js';
import { columnAlign } from '../table.js';
import { html, type Html } from './html.js';

export type UiCell = string | number | null | undefined | Html;

export interface UiColumn {
  label: string;
  className?: string; // 'num', 'mono', 'reason'
}

export function uiTable(columns: readonly UiColumn[], rows: ReadonlyArray<{ cells: readonly UiCell[]; className?: string }>, empty = 'nothing recorded'): Html {
  if (rows.length === 0) return html`<p class="empty">${empty}</p>`;
  const cell = (v: UiCell): UiCell => (typeof v === 'number' ? formatHuman(v) : v === null || v === undefined ? '' : v);
  return html`<div class="table-wrap"><table><thead><tr>${columns.map((c) => html`<th class="${c.className ?? ''}">${c.label}</th>`)}</tr></thead><tbody>
${rows.map((r) => html`<tr class="${r.className ?? ''}">${r.cells.map((v, i) => html`<td class="${columns[i]?.className ?? ''}">${cell(v)}</td>`)}</tr>\n`)}</tbody></table></div>`;
}

/** The engine's table model (metrics, diffs) as a UI table; rows with a `changed` mark are highlighted. */
export function modelTable(table: Table, empty?: string): Html {
  const columns = table.columns.map((c) => ({ label: c.label, ...(columnAlign(table, c) === 'right' ? { className: 'num' } : {}) }));
  return uiTable(
    columns,
    table.rows.map((row) => ({ cells: table.columns.map((c) => row[c.key]), ...(row['changed'] === '*' ? { className: 'changed' } : {}) })),
    empty,
  );
}
