// sonic runs: the most recent runs with their outcome and what their stages did.
import { formatDuration } from '../../engine/report/format-number.js';
import type { Table } from '../../engine/report/table.js';
import { chooseFormat, emitTable, openStoreForReading, parsePositiveInt } from '../query-support.js';
import { processIo, runCommand, type Io } from '../run-command.js';
import { RUNS as SPEC } from '../specs/query-commands.js';

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, (values) => {
    const limit = values.limit === undefined ? 20 : parsePositiveInt('--limit', values.limit);
    const format = chooseFormat(values.format, values.out);
    const store = openStoreForReading(values.workspace, io);
    try {
      const table: Table = {
        columns: [
          { key: 'id', label: 'run' },
          { key: 'pipeline', label: 'pipeline' },
          { key: 'status', label: 'status' },
          { key: 'started', label: 'started' },
          { key: 'duration', label: 'duration', align: 'right' },
          { key: 'succeeded', label: 'ran' },
          { key: 'cached', label: 'cached' },
          { key: 'failed', label: 'failed' },
          { key: 'targets', label: 'targets' },
        ],
        rows: store.runs(limit).map((r) => {
          const stages = store.stageRunsOf(r.id);
          const count = (...statuses: string[]) => stages.filter((s) => statuses.includes(s.status)).length;
          const ms = r.finishedAt === null ? null : Date.parse(r.finishedAt) - Date.parse(r.startedAt);
          const human = format === 'table' || format === 'md';
          return {
            id: r.id,
            pipeline: r.pipelineName,
            status: r.status,
            started: human ? r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : r.startedAt,
            duration: ms === null ? null : human ? formatDuration(ms) : ms,
            succeeded: count('succeeded'),
            cached: count('cached'),
            failed: count('failed', 'interrupted'),
            targets: r.targets.join(' '),
          };
        }),
      };
      emitTable(table, format, values.out, io);
      return 0;
    } finally {
      store.close();
    }
  });
}
