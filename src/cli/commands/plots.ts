// sonic plots: Vega-Lite specs and SVG (optionally PNG) of metrics and run timelines from the run store.
import { resolve } from 'node:path';
import { metricPlots, runTimelinePlot, writePlot, type NamedSpec } from '../../engine/report/plots/index.js';
import { StoreError } from '../../engine/store/errors.js';
import { openStoreForReading, parseRunRef, parseTags, processIo, runCommand, UsageError, WORKSPACE_OPTION, type Io } from '../query-support.js';

const USAGE = `usage: sonic plots --out DIR [--stage S] [--name N] [--tag KEY=VALUE …] [--run ID …]
                   [--no-timeline] [--png] [--workspace DIR]

Writes each plot as a Vega-Lite spec (DIR/NAME.vl.json) and its SVG rendering (DIR/NAME.svg; --png adds
DIR/NAME.png), drawn in Node without a browser:
  curve-METRIC      every metric logged with a step (training losses): one line per stage (per run
                    when several --run are given)
  compare-METRIC    every metric logged without a step, across the selected stages: one bar per
                    stage (and tag set), one per run when several --run are given
  timeline-runN     the stages of run N as bars over time, coloured by state (cached stages are
                    counted in the subtitle, not drawn)
Without --run: the current results (each stage's latest succeeded or cached run) and the latest run's
timeline. --run ID|latest|latest~N may be repeated to compare runs.
--stage / --name match exactly or with * wildcards, as in \`sonic metrics\`. Examples:
  sonic plots --out plots --name 'stage*_loss'
  sonic plots --out plots --stage 'evaluate*' --name '* AIC' --run latest --run latest~1`;

const SPEC = {
  name: 'plots',
  usage: USAGE,
  positionals: { min: 0, max: 0 },
  options: {
    ...WORKSPACE_OPTION,
    out: { type: 'string', short: 'o' },
    stage: { type: 'string', short: 's' },
    name: { type: 'string' },
    tag: { type: 'string', multiple: true, short: 't' },
    run: { type: 'string', multiple: true, short: 'r' },
    png: { type: 'boolean' },
    'no-timeline': { type: 'boolean' },
  },
} as const;

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
