// `/stage-runs/ID`: one stage run: why it ran, its params, metrics and curves, artifacts, images and log.
import { existsSync } from 'node:fs';
import { formatBytes, formatDuration } from '../format-number.js';
import { flattenParams } from '../params-diff-table.js';
import { stepCurveSpecs } from '../plots/index.js';
import type { SqliteRunStore } from '../../store/run-store.js';
import { artifactHref, imagesOf } from './artifact-images.js';
import { html, trusted } from './html.js';
import { badge, facts, page } from './layout.js';
import { plotSvg } from './plot-svg.js';
import { gallery, REFRESH_SECONDS } from './run-page.js';
import { fingerprintOf, metricsOfStageRun } from './ui-data.js';
import { uiTable } from './ui-table.js';
import { isInside, tailText } from './workspace-files.js';

const LOG_TAIL_BYTES = 64 * 1024;
const IMAGE_LIMIT = 200;

export async function stageRunPage(store: SqliteRunStore, id: number): Promise<string | undefined> {
  const s = store.stageRun(id);
  if (s === undefined) return undefined;
  const sourceId = store.resolveSource(id);
  const source = sourceId === id ? s : store.stageRun(sourceId)!;
  const fp = fingerprintOf(s);
  const metrics = metricsOfStageRun(store, s);
  const scalars = metrics.filter((m) => m.step === null);
  const curves = await Promise.all(stepCurveSpecs(metrics).map(async (c) => trusted(await plotSvg(c.spec))));
  const artifacts = s.status === 'succeeded' || s.status === 'cached' ? store.artifactsOf(id) : [];
  const { images, more } = imagesOf(store, s, IMAGE_LIMIT);
  const logPath = source.logPath;
  const log = logPath !== null && existsSync(logPath) && isInside(store.workspace, logPath) ? tailText(logPath, LOG_TAIL_BYTES) : undefined;
  const params = Object.entries(flattenParams(fp.params));

  const body = html`${facts([
    ['state', badge(s.status)],
    ['run', html`<a href="/runs/${s.runId}">run ${s.runId}</a>`],
    ['kind', fp.uses !== undefined ? `uses ${fp.uses}${fp.stageVersion !== undefined ? ` v${fp.stageVersion}` : ''}` : `run: ${(fp.argv ?? []).join(' ')}`],
    ['attempt', s.attempt],
    ['duration', s.durationMs === null ? '' : formatDuration(s.durationMs)],
    ['started (UTC)', s.startedAt ?? ''],
    ['executor', `${s.executor ?? ''}${s.jobId ? ` (job ${s.jobId})` : ''}`],
    ['fingerprint', s.fingerprint.slice(0, 16)],
    ...(source !== s ? ([['outputs from', html`<a href="/stage-runs/${source.id}">stage run ${source.id}</a> of <a href="/runs/${source.runId}">run ${source.runId}</a>`]] as [string, ReturnType<typeof html>][]) : []),
  ])}
<h2 id="why">${s.status === 'cached' ? 'Why it was cached' : s.status === 'skipped' ? 'Why it was skipped' : 'Why it ran'}</h2><p>${s.reason}</p>
${s.error ? html`<pre class="error">${s.error}</pre>` : ''}
<h2 id="params">Params</h2>
${uiTable([{ label: 'param' }, { label: 'value', className: 'mono' }], params.map(([k, v]) => ({ cells: [k, v] })), 'no params')}
<h2 id="metrics">Metrics</h2>
${uiTable(
  [{ label: 'name' }, { label: 'value', className: 'num' }, { label: 'tags' }],
  scalars.map((m) => ({ cells: [m.name, m.value, Object.entries(m.tags).map(([k, v]) => `${k}=${v}`).join(', ')] })),
  metrics.length > 0 ? 'only step metrics (see the curves)' : 'no metrics recorded',
)}
${curves.length > 0 ? html`<h3>Curves</h3><div class="plots">${curves.map((c) => html`<div class="plot">${c}</div>`)}</div>` : ''}
<h2 id="artifacts">Artifacts</h2>
${uiTable(
  [{ label: 'name' }, { label: 'type' }, { label: 'size', className: 'num' }, { label: 'hash', className: 'mono' }],
  artifacts.map((a) => ({ cells: [html`<a href="${artifactHref(id, a.name)}">${a.name}</a>`, a.type, formatBytes(a.size), a.hash.slice(0, 12)] })),
  s.status === 'succeeded' || s.status === 'cached' ? 'no artifacts' : `no artifacts (the stage ${s.status})`,
)}
<h2 id="images">Images</h2>
${images.length > 0 ? gallery(images) : html`<p class="empty">no image artifacts</p>`}
${more ? html`<p class="note">showing the first ${IMAGE_LIMIT} images</p>` : ''}
<h2 id="log">Log</h2>
${
  log === undefined
    ? html`<p class="empty">${logPath === null ? 'no log (the stage did not execute)' : 'the log file is gone'}</p>`
    : html`<p class="note">${log.cut ? `the last ${formatBytes(LOG_TAIL_BYTES)}; ` : ''}<a href="/stage-runs/${source.id}/log">the whole log as text</a></p><pre class="log">${log.text}</pre>`
}`;
  return page({
    ...(s.status === 'running' || s.status === 'pending' ? { refreshSeconds: REFRESH_SECONDS } : {}),
    title: s.stageId,
    subtitle: `stage run ${id} · run ${s.runId} · ${s.status}`,
    crumbs: [
      ['runs', '/'],
      [`run ${s.runId}`, `/runs/${s.runId}`],
    ],
    workspace: store.workspace,
    body,
  });
}
