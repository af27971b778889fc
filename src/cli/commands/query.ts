// sonic query: read-only SQL over the run store.
import type { Cell, Table } from '../../engine/report/table.js';
import { chooseFormat, emitTable, openStoreForReading } from '../query-support.js';
import { processIo, runCommand, type Io } from '../run-command.js';
import { QUERY as SPEC } from '../specs/query-commands.js';

function toCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (Buffer.isBuffer(v)) return `<blob ${v.length} bytes>`;
  return String(v);
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, (values, positionals) => {
    const format = chooseFormat(values.format, values.out);
    const store = openStoreForReading(values.workspace, io);
    try {
      const result = store.queryWithColumns(positionals[0]!, values.param ?? []);
      const table: Table = {
        columns: result.columns.map((c) => ({ key: c, label: c })),
        rows: result.rows.map((r) => Object.fromEntries(result.columns.map((c) => [c, toCell(r[c])]))),
      };
      emitTable(table, format, values.out, io);
      return 0;
    } finally {
      store.close();
    }
  });
}
