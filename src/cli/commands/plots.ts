// sonic plots: Vega-Lite specs and SVG (optionally PNG) of metrics and run timelines from the run store.
import { resolve } from 'node:path';
import { metricPlots, runTimelinePlot, writePlot, type NamedSpec } from '../../engine/report/plots/index.js';
import { StoreError } from '../../engine/store/errors.js';
import { UsageError } from '../cli-error.js';
import { openStoreForReading, parseRunRef, parseTags } from '../query-support.js';
import { processIo, runCommand, type Io } from '../run-command.js';
import { PLOTS as SPEC } from '../specs/query-commands.js';


export async function main(argv: string[], io: Io = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, async (values) => {
    if (values.out === undefined) throw new UsageError('--out DIR is required (the directory the plots are written to)');
    const out = resolve(io.cwd, values.out);
    const tags = parseTags(values.tag);
    const store = openStoreForReading(values.workspace, io);
    let plots: NamedSpec[];
    try {
      const runIds = [...new Set((values.run ?? []).map((r) => parseRunRef(store, r, '--run')))];
      const filter = {
        ...(values.stage !== undefined ? { stage: values.stage } : {}),
        ...(values.name !== undefined ? { name: values.name } : {}),
        ...(tags !== undefined ? { tags } : {}),
      };
      const records = runIds.length === 0 ? store.metrics(filter) : runIds.flatMap((runId) => store.metrics({ ...filter, runId }));
      plots = metricPlots(records, { byRun: runIds.length > 0 });
      if (values['no-timeline'] !== true) {
        const timelineRuns = runIds.length > 0 ? runIds : store.runs(1).map((r) => r.id);
        for (const runId of timelineRuns) {
          const plot = runTimelinePlot(runId, store.stageRunsOf(runId));
          if (plot !== null) plots.push(plot);
        }
      }
    } finally {
      store.close();
    }
    if (plots.length === 0) {
      io.stderr('sonic plots: nothing to plot: no metric matches the filters and no selected run executed a stage (see `sonic metrics`, `sonic runs`)\n');
      return 1;
    }
    for (const p of plots) {
      let written;
      try {
        written = await writePlot(out, p.name, p.spec, { png: values.png === true });
      } catch (e) {
        throw new StoreError(`cannot write ${p.name} under ${values.out}: ${(e as Error).message}`);
      }
      io.stdout(`${[written.spec, written.svg, ...(written.png ? [written.png] : [])].map((f) => `${values.out}/${f}`).join('  ')}\n`);
    }
    return 0;
  });
}
