// The paper tables of two SonicToy runs compared cell by cell: is each of the new run's numbers inside the
// old run's 95 % bootstrap interval? Reads tableN.csv from both results directories (csv-parse). Only
// "ours" cells carry an interval; "reported" rows are the paper's numbers and are skipped.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

/** "0.746 [0.69, 0.80]" or "0.74 ± 0.01 [0.69, 0.80]" (several seeds). */
export interface IntervalCell {
  value: number;
  low: number;
  high: number;
}

const CELL = /^\s*(-?[\d.]+(?:e-?\d+)?)(?:\s*±\s*[\d.]+(?:e-?\d+)?)?\s*\[\s*(-?[\d.]+(?:e-?\d+)?)\s*,\s*(-?[\d.]+(?:e-?\d+)?)\s*\]\s*$/;

export function parseIntervalCell(text: string): IntervalCell | null {
  const m = CELL.exec(text);
  if (!m) return null;
  return { value: Number(m[1]), low: Number(m[2]), high: Number(m[3]) };
}

/** A number as printed in a table cell, with or without its interval. */
function parseValue(text: string): number | null {
  const cell = parseIntervalCell(text);
  if (cell) return cell.value;
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(n) ? n : null;
}

export interface CellComparison {
  table: string;
  row: string;
  column: string;
  old: IntervalCell;
  /** null: the new run has no such cell. */
  new: number | null;
  inside: boolean;
}

type Row = Record<string, string>;

function readTable(file: string): Row[] {
  return parse(readFileSync(file), { columns: true, skip_empty_lines: true }) as Row[];
}

function rowKey(row: Row): string {
  return `${row['method'] ?? ''} (${row['source'] ?? ''})`;
}

export function compareTable(table: string, oldRows: Row[], newRows: Row[]): CellComparison[] {
  const byKey = new Map(newRows.map((r) => [rowKey(r), r]));
  const out: CellComparison[] = [];
  for (const row of oldRows) {
    if (row['source'] !== 'ours') continue;
    const fresh = byKey.get(rowKey(row));
    for (const [column, text] of Object.entries(row)) {
      const old = parseIntervalCell(text);
      if (!old) continue;
      const value = fresh?.[column] === undefined ? null : parseValue(fresh[column]!);
      // The interval is printed rounded; a value on its printed edge counts as inside.
      const inside = value !== null && value >= old.low && value <= old.high;
      out.push({ table, row: rowKey(row), column, old, new: value, inside });
    }
  }
  return out;
}

export function compareResults(oldDir: string, newDir: string): CellComparison[] {
  const tables = readdirSync(oldDir).filter((f) => /^table\d+\.csv$/.test(f)).sort();
  if (tables.length === 0) throw new Error(`${oldDir}: no tableN.csv files`);
  return tables.flatMap((file) => {
    const fresh = join(newDir, file);
    const newRows = existsSync(fresh) ? readTable(fresh) : [];
    return compareTable(file.replace(/\.csv$/, ''), readTable(join(oldDir, file)), newRows);
  });
}

