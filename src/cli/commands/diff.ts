// sonic diff: the params and the metrics of two runs side by side (metrics with absolute and relative deltas).
import { diffTable } from '../../engine/report/diff-table.js';
import { paramsDiffTable, paramsOfStageRuns } from '../../engine/report/params-diff-table.js';
import { renderTable } from '../../engine/report/render.js';
import { matchesPattern } from '../../engine/store/pattern.js';
import { UsageError } from '../cli-error.js';
import { chooseFormat, emitTable, openStoreForReading, parseRunRef } from '../query-support.js';
import { processIo, runCommand, type Io } from '../run-command.js';
import { DIFF as SPEC } from '../specs/query-commands.js';

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, (values, positionals) => {
    const format = chooseFormat(values.format, values.out);
    if (values['params-only'] && values['metrics-only']) throw new UsageError('give at most one of --params-only and --metrics-only');
    const both = !values['params-only'] && !values['metrics-only'];
    if (both && (format === 'csv' || format === 'json' || values.out !== undefined)) {
      throw new UsageError(`--format ${format}${values.out !== undefined ? ' and --out' : ''} hold one table: add --params-only or --metrics-only`);
    }
    const store = openStoreForReading(values.workspace, io);
    try {
      const [a, b] = positionals.map((p, i) => parseRunRef(store, p, i === 0 ? 'RUN_A' : 'RUN_B')) as [number, number];
      const labels = { labelA: `run ${a}`, labelB: `run ${b}`, changedOnly: values.changed === true };
      const stageMatches = (id: string, base: string) => values.stage === undefined || matchesPattern(values.stage, id) || matchesPattern(values.stage, base);
      const stageParams = (runId: number) => paramsOfStageRuns(store.stageRunsOf(runId).filter((s) => stageMatches(s.stageId, s.baseId)));
      const params = paramsDiffTable(stageParams(a), stageParams(b), {
        ...labels,
        title: `params: run ${a} vs run ${b}`,
        ...(values.name !== undefined ? { keyFilter: (k: string) => matchesPattern(values.name!, k) } : {}),
      });
      const filter = {
        ...(values.stage !== undefined ? { stage: values.stage } : {}),
        ...(values.name !== undefined ? { name: values.name } : {}),
      };
      const metrics = diffTable(store.metrics({ ...filter, runId: a }), store.metrics({ ...filter, runId: b }), {
        ...labels,
        title: `metrics: run ${a} vs run ${b}`,
      });
      if (!both) {
        const table = values['params-only'] ? params : metrics;
        emitTable({ columns: table.columns, rows: table.rows }, format, values.out, io); // one table: no title
        return 0;
      }
      const color = io.stdoutIsTTY && !io.env['NO_COLOR'];
      const empty = (what: string) => `(no ${values.changed ? 'changed ' : ''}${what})\n`;
      io.stdout(params.rows.length > 0 ? renderTable(params, format, { color }) : `${params.title}\n${empty('params')}`);
      io.stdout('\n');
      io.stdout(metrics.rows.length > 0 ? renderTable(metrics, format, { color }) : `${metrics.title}\n${empty('metrics')}`);
      return 0;
    } finally {
      store.close();
    }
  });
}
