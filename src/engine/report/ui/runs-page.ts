// `/`: the runs, newest first, with a form to compare two or more of them.
import { formatDuration } from '../format-number.js';
import type { SqliteRunStore } from '../../store/run-store.js';
import { html } from './html.js';
import { badge, page } from './layout.js';
import { runOverviews } from './ui-data.js';
import { uiTable } from './ui-table.js';

export function runsPage(store: SqliteRunStore, limit: number): string {
  const runs = runOverviews(store, limit);
  const rows = runs.map(({ run, durationMs, counts }) => ({
    cells: [
      html`<input type="checkbox" name="run" value="${run.id}" aria-label="compare run ${run.id}">`,
      html`<a href="/runs/${run.id}">run ${run.id}</a>`,
      run.pipelineName,
      badge(run.status),
      run.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      durationMs === null ? '' : formatDuration(durationMs),
      counts.ran,
      counts.cached,
      counts.failed,
      run.targets.length > 0 ? run.targets.join(' ') : 'all',
      html`<a href="/runs/${run.id}/dag">graph</a>`,
    ],
  }));
  const table = uiTable(
    [
      { label: '' },
      { label: 'run' },
      { label: 'pipeline' },
      { label: 'status' },
      { label: 'started (UTC)' },
      { label: 'duration', className: 'num' },
      { label: 'ran', className: 'num' },
      { label: 'cached', className: 'num' },
      { label: 'failed', className: 'num' },
      { label: 'targets' },
      { label: 'DAG' },
    ],
    rows,
    'No runs recorded yet: `sonic run PIPELINE` records one.',
  );
  const body = html`<form class="compare" method="get" action="/compare">
${table}
<p><button type="submit">Compare selected runs</button> <span class="note">tick two or more runs: params and metrics side by side, training curves overlaid</span></p>
</form>`;
  return page({ title: 'Runs', subtitle: `${runs.length} most recent run${runs.length === 1 ? '' : 's'}, newest first`, workspace: store.workspace, body });
}
