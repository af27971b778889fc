// sonic query: read-only SQL over the run store.
import type { Cell, Table } from '../../engine/report/table.js';
import {
  chooseFormat,
  emitTable,
  openStoreForReading,
  OUTPUT_OPTIONS,
  processIo,
  runCommand,
  WORKSPACE_OPTION,
  type Io,
} from '../query-support.js';

const USAGE = `usage: sonic query "SELECT …" [--param VALUE …] [--format table|md|csv|json] [--out FILE] [--workspace DIR]

Runs one read-only statement (SELECT, WITH … SELECT, or a read PRAGMA) on the run store; ? placeholders
take the --param values in order. Tables: runs, stage_runs, artifacts, metrics, metric_tags, params,
events, file_hashes, schema_migrations. Views: metric_values (every metric seen from every stage run,
cached runs resolved to their source), current_metrics (the same for each stage's latest succeeded or
cached run), stage_run_sources. Tags are JSON: json_extract(tags_json, '$.ablation'). Example:
  sonic query "SELECT stage_id, name, value FROM current_metrics WHERE json_extract(tags_json, '$.ablation') = ?" -p full`;

const SPEC = {
  name: 'query',
  usage: USAGE,
  positionals: { min: 1, max: 1 },
  options: { ...WORKSPACE_OPTION, ...OUTPUT_OPTIONS, param: { type: 'string', multiple: true, short: 'p' } },
} as const;

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
