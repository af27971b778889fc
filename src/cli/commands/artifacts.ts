// sonic artifacts: what the stages produced and where it lives in the object store.
import { formatBytes } from '../../engine/report/format-number.js';
import type { Table } from '../../engine/report/table.js';
import {
  chooseFormat,
  emitTable,
  openStoreForReading,
  OUTPUT_OPTIONS,
  parseRunRef,
  processIo,
  runCommand,
  WORKSPACE_OPTION,
  type Io,
} from '../query-support.js';

const USAGE = `usage: sonic artifacts [--stage S] [--run ID] [--format table|md|csv|json] [--out FILE] [--workspace DIR]

Without --run: the artifacts of every stage's latest succeeded (or cached) run; with --run ID|latest|latest~N:
that run's. Terminal and markdown show a 12-character hash prefix and human sizes; CSV and JSON the full
hash and bytes.`;

const SPEC = {
  name: 'artifacts',
  usage: USAGE,
  options: { ...WORKSPACE_OPTION, ...OUTPUT_OPTIONS, stage: { type: 'string', short: 's' }, run: { type: 'string', short: 'r' } },
} as const;

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, (values) => {
    const format = chooseFormat(values.format, values.out);
    const human = format === 'table' || format === 'md';
    const store = openStoreForReading(values.workspace, io);
    try {
      const runId = values.run === undefined ? undefined : parseRunRef(store, values.run, '--run');
      const list = store.artifacts({
        ...(values.stage !== undefined ? { stage: values.stage } : {}),
        ...(runId !== undefined ? { runId } : {}),
      });
      const table: Table = {
        columns: [
          { key: 'stage', label: 'stage' },
          { key: 'name', label: 'name' },
          { key: 'type', label: 'type' },
          { key: 'hash', label: 'hash' },
          { key: 'size', label: 'size', align: 'right' },
          { key: 'path', label: 'path' },
        ],
        rows: list.map((a) => ({
          stage: a.stageId,
          name: a.name,
          type: a.type,
          hash: human ? a.hash.slice(0, 12) : a.hash,
          size: human ? formatBytes(a.size) : a.size,
          path: a.objectPath,
        })),
      };
      emitTable(table, format, values.out, io);
      return 0;
    } finally {
      store.close();
    }
  });
}
