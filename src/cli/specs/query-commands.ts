// Declarations of the commands that read the run store: runs, metrics, diff, plots, query, artifacts, logs, gc.
import { defineCommand, OUTPUT_OPTIONS, WORKSPACE_OPTION } from './command-spec.js';

export const RUNS = defineCommand({
  name: 'runs',
  summary: 'list runs',
  positionals: { min: 0, max: 0 },
  options: { ...WORKSPACE_OPTION, ...OUTPUT_OPTIONS, limit: { type: 'string', short: 'n' } },
  usage: `usage: sonic runs [--limit N] [--format table|md|csv|json] [--out FILE] [--workspace DIR]

Lists the most recent runs (default 20), newest first, with how many stages ran, were cached or failed.`,
});

export const METRICS = defineCommand({
  name: 'metrics',
  summary: 'show recorded metrics',
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
  usage: `usage: sonic metrics [--stage S] [--name N] [--tag KEY=VALUE …] [--run ID]
                     [--rows DIMS] [--cols DIMS] [--agg unique|last|first|mean|min|max]
                     [--title TEXT] [--format table|md|csv|json] [--out FILE] [--workspace DIR]

Without --run: the current results, i.e. for every stage its latest succeeded (or cached) run.
--run ID|latest|latest~N: the metrics of that run's stages (cached stages show their source's values).
--stage / --name match exactly or with * wildcards (--stage also matches the base id of matrix stages).
--rows / --cols: comma-separated dimensions among stage, name, step, run, tag:KEY; e.g.
  sonic metrics --stage eval --rows name --cols tag:ablation --format md --out results/ablation.md
A cell that would get two different values is an error unless --agg says how to combine them.`,
});

export const DIFF = defineCommand({
  name: 'diff',
  summary: 'compare the params and metrics of two runs',
  positionals: { min: 2, max: 2 },
  options: {
    ...WORKSPACE_OPTION,
    ...OUTPUT_OPTIONS,
    stage: { type: 'string', short: 's' },
    name: { type: 'string' },
    changed: { type: 'boolean' },
    'params-only': { type: 'boolean' },
    'metrics-only': { type: 'boolean' },
  },
  usage: `usage: sonic diff RUN_A RUN_B [--stage S] [--name N] [--changed] [--params-only | --metrics-only]
                  [--format table|md|csv|json] [--out FILE] [--workspace DIR]

RUN_A, RUN_B: run ids, latest, or latest~N. Prints two tables: the params of the two runs' stages
(resolved \`with:\` values, matched on stage and key; --name filters the keys) and their metrics (cached
stages count with their source's values, matched on stage, name, step and tags), each with the values of
A and B. --changed hides equal rows. For metrics, delta = B - A; delta % = 100 * delta / |A|.
With --format csv or json (or --out), give --params-only or --metrics-only: one table per output.`,
});

export const QUERY = defineCommand({
  name: 'query',
  summary: 'read-only SQL over the run store',
  positionals: { min: 1, max: 1 },
  options: { ...WORKSPACE_OPTION, ...OUTPUT_OPTIONS, param: { type: 'string', multiple: true, short: 'p' } },
  usage: `usage: sonic query "SELECT …" [--param VALUE …] [--format table|md|csv|json] [--out FILE] [--workspace DIR]

Runs one read-only statement (SELECT, WITH … SELECT, or a read PRAGMA) on the run store; ? placeholders
take the --param values in order. Tables: runs, stage_runs, artifacts, metrics, metric_tags, params,
events, file_hashes, schema_migrations. Views: metric_values (every metric seen from every stage run,
cached runs resolved to their source), current_metrics (the same for each stage's latest succeeded or
cached run), stage_run_sources. Tags are JSON: json_extract(tags_json, '$.ablation'). Example:
  sonic query "SELECT stage_id, name, value FROM current_metrics WHERE json_extract(tags_json, '$.ablation') = ?" -p full`,
});

export const ARTIFACTS = defineCommand({
  name: 'artifacts',
  summary: 'list recorded artifacts',
  positionals: { min: 0, max: 0 },
  options: { ...WORKSPACE_OPTION, ...OUTPUT_OPTIONS, stage: { type: 'string', short: 's' }, run: { type: 'string', short: 'r' } },
  usage: `usage: sonic artifacts [--stage S] [--run ID] [--format table|md|csv|json] [--out FILE] [--workspace DIR]

Without --run: the artifacts of every stage's latest succeeded (or cached) run; with --run ID|latest|latest~N:
that run's. Terminal and markdown show a 12-character hash prefix and human sizes; CSV and JSON the full
hash and bytes.`,
});

export const LOGS = defineCommand({
  name: 'logs',
  summary: "print a stage's log (--follow to keep reading)",
  positionals: { min: 1, max: 1 },
  options: { ...WORKSPACE_OPTION, run: { type: 'string', short: 'r' }, follow: { type: 'boolean', short: 'F' } },
  usage: `usage: sonic logs STAGE [--run ID|latest|latest~N] [--follow] [--workspace DIR]

Prints the log file of STAGE (an expanded id like train[data=hits], or a base id with one instance) from
its latest executed attempt, or from the given run. A stage that was cached in that run shows the log of
the run that made its outputs. --follow keeps printing what is appended while the stage is running and
stops when the stage run finishes (or on Ctrl-C).`,
});

export const GC = defineCommand({
  name: 'gc',
  summary: 'remove objects no run refers to',
  positionals: { min: 0, max: 0 },
  options: { ...WORKSPACE_OPTION, 'dry-run': { type: 'boolean', short: 'n' } },
  usage: `usage: sonic gc [--dry-run] [--workspace DIR]

Removes objects under .sonic/objects that no recorded artifact references (e.g. outputs of stages that
failed after ingest) and tmp entries older than a day. Holds the workspace lock while it works, so it
refuses while a run is in progress (and a run started meanwhile waits for it or fails).
--dry-run: only report what would be removed.`,
});

export const PLOTS = defineCommand({
  name: 'plots',
  summary: 'Vega-Lite plots (SVG/PNG) of metrics and run timelines',
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
  usage: `usage: sonic plots --out DIR [--stage S] [--name N] [--tag KEY=VALUE …] [--run ID …]
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
  sonic plots --out plots --stage 'evaluate*' --name '* AIC' --run latest --run latest~1`,
});
