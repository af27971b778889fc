// The one table model every report is built as, whatever it is rendered to.

export type Cell = string | number | null;
export type Align = 'left' | 'right';

export interface Column {
  key: string;
  label: string;
  align?: Align; // default: right when every non-null cell of the column is a number, else left
}

export interface Table {
  title?: string;
  columns: Column[];
  rows: Record<string, Cell>[];
}

export function columnAlign(table: Table, col: Column): Align {
  if (col.align !== undefined) return col.align;
  let sawNumber = false;
  for (const row of table.rows) {
    const v = row[col.key] ?? null;
    if (v === null) continue;
    if (typeof v !== 'number') return 'left';
    sawNumber = true;
  }
  return sawNumber ? 'right' : 'left';
}
