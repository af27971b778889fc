// sonic artifacts: what the stages produced and where it lives in the object store.
import { formatBytes } from '../../engine/report/format-number.js';
import type { Table } from '../../engine/report/table.js';
import { chooseFormat, emitTable, openStoreForReading, parseRunRef } from '../query-support.js';
import { processIo, runCommand, type Io } from '../run-command.js';
import { ARTIFACTS as SPEC } from '../specs/query-commands.js';

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
