// sonic metrics: metrics as a listing or a pivot table.
import { AGGREGATIONS, metricsTable, type Aggregation } from '../../engine/report/metrics-table.js';
import {
  chooseFormat,
  emitTable,
  openStoreForReading,
  OUTPUT_OPTIONS,
  parseRunRef,
  parseTags,
  processIo,
  runCommand,
  splitList,
  UsageError,
  WORKSPACE_OPTION,
  type Io,
} from '../query-support.js';

const USAGE = `usage: sonic metrics [--stage S] [--name N] [--tag KEY=VALUE …] [--run ID]
                     [--rows DIMS] [--cols DIMS] [--agg unique|last|first|mean|min|max]
                     [--title TEXT] [--format table|md|csv|json] [--out FILE] [--workspace DIR]

Without --run: the current results, i.e. for every stage its latest succeeded (or cached) run.
--run ID|latest|latest~N: the metrics of that run's stages (cached stages show their source's values).
--stage / --name match exactly or with * wildcards (--stage also matches the base id of matrix stages).
--rows / --cols: comma-separated dimensions among stage, name, step, run, tag:KEY; e.g.
  sonic metrics --stage eval --rows name --cols tag:ablation --format md --out results/ablation.md
A cell that would get two different values is an error unless --agg says how to combine them.`;

const SPEC = {
  name: 'metrics',
  usage: USAGE,
  positionals: { min: 0, max: 0 },
  options: {
    ...WORKSPACE_OPTION,
    ...OUTPUT_OPTIONS,
    stage: { type: 'string', short: 's' },
    name: { type: 'string' },
    tag: { type: 'string', multiple: true, short: 't' },
    run: { type: 'string', short: 'r' },
    rows: { type: 'string' },
    cols: { type: 'string' },
    agg: { type: 'string' },
    title: { type: 'string' },
  },
} as const;

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
