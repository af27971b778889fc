// sonic metrics: metrics as a listing or a pivot table.
import { AGGREGATIONS, metricsTable, type Aggregation } from '../../engine/report/metrics-table.js';
import { chooseFormat, emitTable, openStoreForReading, parseRunRef, parseTags, splitList } from '../query-support.js';
import { processIo, runCommand, type Io } from '../run-command.js';
import { UsageError } from '../cli-error.js';
import { METRICS as SPEC } from '../specs/query-commands.js';

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, (values) => {
    const format = chooseFormat(values.format, values.out);
    const tags = parseTags(values.tag);
    const agg = values.agg;
    if (agg !== undefined && !(AGGREGATIONS as readonly string[]).includes(agg)) {
      throw new UsageError(`--agg must be one of ${AGGREGATIONS.join(', ')} (got ${JSON.stringify(agg)})`);
    }
    const store = openStoreForReading(values.workspace, io);
    try {
      const runId = values.run === undefined ? undefined : parseRunRef(store, values.run, '--run');
      const records = store.metrics({
        ...(values.stage !== undefined ? { stage: values.stage } : {}),
        ...(values.name !== undefined ? { name: values.name } : {}),
        ...(tags !== undefined ? { tags } : {}),
        ...(runId !== undefined ? { runId } : {}),
      });
      const table = metricsTable(records, {
        rows: splitList(values.rows),
        columns: splitList(values.cols),
        ...(agg !== undefined ? { value: agg as Aggregation } : {}),
        ...(values.title !== undefined ? { title: values.title } : {}),
      });
      emitTable(table, format, values.out, io);
      return 0;
    } finally {
      store.close();
    }
  });
}
