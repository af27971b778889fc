// `/compare?run=A&run=B[&run=C…]`: runs side by side: params that differ, metrics with deltas against the
// first run, and every step metric's curves overlaid.
import { formatDuration } from '../format-number.js';
import { metricsCompareTable, paramsCompareTable } from '../compare-tables.js';
import { paramsOfStageRuns } from '../params-diff-table.js';
import { stepCurveSpecs } from '../plots/index.js';
import type { SqliteRunStore } from '../../store/run-store.js';
import { html, query, trusted } from './html.js';
import { badge, page } from './layout.js';
import { plotSvg } from './plot-svg.js';
import { overview } from './ui-data.js';
import { modelTable, uiTable } from './ui-table.js';

export class CompareRequestError extends Error {}

export async function comparePage(store: SqliteRunStore, runIds: readonly number[], showAll: boolean): Promise<string> {
  const ids = [...new Set(runIds)].sort((x, y) => x - y); // the oldest run is the baseline of the deltas
  if (ids.length < 2) throw new CompareRequestError('choose two or more runs to compare (tick them on the runs page)');
  const missing = ids.filter((id) => store.run(id) === undefined);
  if (missing.length > 0) throw new CompareRequestError(`no run with id ${missing.join(', ')}`);
  const label = (id: number) => `run ${id}`;
  const params = paramsCompareTable(
    ids.map((id) => ({ label: label(id), data: paramsOfStageRuns(store.stageRunsOf(id)) })),
    { changedOnly: !showAll },
  );
  const metricsByRun = ids.map((id) => ({ label: label(id), data: store.metrics({ runId: id }) }));
  const metrics = metricsCompareTable(metricsByRun, { changedOnly: !showAll });
  const curves = await Promise.all(stepCurveSpecs(metricsByRun.flatMap((r) => r.data)).map(async (c) => trusted(await plotSvg(c.spec))));
  const runRows = ids.map((id) => {
    const o = overview(store, store.run(id)!);
    return {
      cells: [
        html`<a href="/runs/${id}">${label(id)}</a>`,
        o.run.pipelineName,
        badge(o.run.status),
        o.run.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
        o.durationMs === null ? '' : formatDuration(o.durationMs),
        `sonic ${o.run.argv.join(' ')}`,
      ],
    };
  });
  const self = (all: boolean) => `/compare${query([...ids.map((id) => ['run', id] as [string, number]), ...(all ? [['all', 1] as [string, number]] : [])])}`;
  const body = html`${uiTable([{ label: 'run' }, { label: 'pipeline' }, { label: 'status' }, { label: 'started (UTC)' }, { label: 'duration', className: 'num' }, { label: 'command', className: 'mono' }], runRows)}
<p class="note">${showAll ? html`showing every param and metric · <a href="${self(false)}">only what differs</a>` : html`showing only what differs · <a href="${self(true)}">show everything</a>`}</p>
<h2 id="params">Params</h2>
${modelTable(params, showAll ? 'no params recorded' : 'the params are the same in every run')}
<h2 id="metrics">Metrics</h2>
${modelTable(metrics, showAll ? 'no scalar metrics recorded' : 'no scalar metric differs')}
<h2 id="curves">Curves</h2>
${curves.length > 0 ? html`<div class="plots">${curves.map((c) => html`<div class="plot">${c}</div>`)}</div>` : html`<p class="empty">no step metrics in these runs</p>`}`;
  return page({ title: `Compare ${ids.map(label).join(', ')}`, crumbs: [['runs', '/']], workspace: store.workspace, body });
}
