// sonic diff: the metrics of two runs side by side, with absolute and relative deltas.
import { diffTable } from '../../engine/report/diff-table.js';
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

const USAGE = `usage: sonic diff RUN_A RUN_B [--stage S] [--name N] [--changed]
                  [--format table|md|csv|json] [--out FILE] [--workspace DIR]

RUN_A, RUN_B: run ids, latest, or latest~N. Compares every metric of the two runs' stages (cached stages
count with their source's values), matched on stage, name, step and tags. --changed hides equal rows.
delta = B - A; delta % = 100 * delta / |A|.`;

const SPEC = {
  name: 'diff',
  usage: USAGE,
  positionals: { min: 2, max: 2 },
  options: {
    ...WORKSPACE_OPTION,
    ...OUTPUT_OPTIONS,
    stage: { type: 'string', short: 's' },
    name: { type: 'string' },
    changed: { type: 'boolean' },
  },
} as const;

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, (values, positionals) => {
    const format = chooseFormat(values.format, values.out);
    const store = openStoreForReading(values.workspace, io);
    try {
      const [a, b] = positionals.map((p, i) => parseRunRef(store, p, i === 0 ? 'RUN_A' : 'RUN_B')) as [number, number];
      const filter = {
        ...(values.stage !== undefined ? { stage: values.stage } : {}),
        ...(values.name !== undefined ? { name: values.name } : {}),
      };
      const table = diffTable(store.metrics({ ...filter, runId: a }), store.metrics({ ...filter, runId: b }), {
        labelA: `run ${a}`,
        labelB: `run ${b}`,
        changedOnly: values.changed === true,
      });
      emitTable(table, format, values.out, io);
      return 0;
    } finally {
      store.close();
    }
  });
}
