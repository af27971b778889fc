// `/runs/ID`: a run's facts, its timeline, every stage (state, duration, why it ran or was cached, log,
// artifacts) and the pictures it made.
import { formatDuration } from '../format-number.js';
import { timelineBars, timelineSpec } from '../plots/index.js';
import type { SqliteRunStore } from '../../store/run-store.js';
import type { StageRunRecord } from '../../store/store-api.js';
import { artifactHref, imagesOf, type ArtifactImage } from './artifact-images.js';
import { html, trusted, type Html } from './html.js';
import { badge, facts, page } from './layout.js';
import { plotSvg } from './plot-svg.js';
import { latestAttempts, overview } from './ui-data.js';
import { uiTable } from './ui-table.js';

const PER_STAGE = 4;
export const REFRESH_SECONDS = 5; // pages of something still running reload themselves
const GALLERY_LIMIT = 48;
const SMALL = 128; // pictures narrower than this are shown enlarged, pixels kept sharp

export function gallery(images: readonly ArtifactImage[]): Html {
  return html`<div class="gallery">${images.map((i) => {
    const small = i.width !== undefined && i.width < SMALL;
    const size = i.width !== undefined && i.height !== undefined ? html` width="${small ? SMALL : i.width}" height="${small ? Math.round((SMALL * i.height) / i.width) : i.height}"` : '';
    return html`<figure><a href="${i.href}"><img src="${i.href}" alt="${i.caption}"${size}${small ? html` class="pixels"` : ''}></a><figcaption>${i.caption}${i.width !== undefined ? html` <span class="dim">${i.width}×${i.height}</span>` : ''}</figcaption></figure>`;
  })}</div>`;
}

function stageRow(store: SqliteRunStore, s: StageRunRecord, attempts: number): { cells: Html[] | (string | number | Html)[] } {
  const artifacts = s.status === 'succeeded' || s.status === 'cached' ? store.artifactsOf(s.id) : [];
  const source = s.status === 'cached' && s.reusedFrom !== null ? store.stageRun(store.resolveSource(s.id)) : undefined;
  const logOf = source ?? s;
  return {
    cells: [
      html`<a href="/stage-runs/${s.id}">${s.stageId}</a>`,
      badge(s.status),
      s.durationMs === null || s.status === 'cached' ? '' : formatDuration(s.durationMs),
      attempts > 1 ? `${s.attempt} of ${attempts}` : s.attempt,
      html`${s.reason}${source ? html` · <a href="/stage-runs/${source.id}">outputs' stage run</a>` : ''}${s.error ? html`<br><b>error:</b> ${s.error}` : ''}`,
      logOf.logPath !== null ? html`<a href="/stage-runs/${logOf.id}/log">log</a>` : '',
      html`${artifacts.map((a, i) => html`${i > 0 ? ', ' : ''}<a href="${artifactHref(s.id, a.name)}">${a.name}</a>`)}`,
    ],
  };
}

export async function runPage(store: SqliteRunStore, runId: number): Promise<string | undefined> {
  const run = store.run(runId);
  if (run === undefined) return undefined;
  const { durationMs, counts } = overview(store, run);
  const all = store.stageRunsOf(runId);
  const stages = latestAttempts(all);
  const attempts = (id: string) => all.filter((s) => s.stageId === id).length;

  const bars = timelineBars(all.filter((s) => s.status !== 'cached'));
  const timeline = bars.length > 0 ? trusted(await plotSvg(timelineSpec({ title: `run ${runId}: where the time went`, bars }))) : undefined;

  // a few pictures of every stage that made some (its largest: grids and sheets before single samples)
  const images: ArtifactImage[] = [];
  let more = false;
  for (const s of stages) {
    const got = imagesOf(store, s, PER_STAGE);
    images.push(...got.images.map((i) => ({ ...i, caption: `${s.stageId} · ${i.caption}` })));
    more ||= got.more;
  }
  more ||= images.length > GALLERY_LIMIT;
  images.splice(GALLERY_LIMIT);

  const body = html`${facts([
    ['status', badge(run.status)],
    ['pipeline', `${run.pipelineName} (${run.pipelineFile})`],
    ['command', `sonic ${run.argv.join(' ')}`],
    ['started (UTC)', run.startedAt],
    ['duration', durationMs === null ? 'still running (or the runner died)' : formatDuration(durationMs)],
    ['stages', `${counts.total}: ${counts.ran} ran, ${counts.cached} cached, ${counts.failed} failed, ${counts.skipped} skipped`],
    ['host', `${run.host} (pid ${run.pid})`],
  ])}
<p><a href="/runs/${runId}/dag">stage graph</a>${runId > 1 && store.run(runId - 1) ? html` · <a href="/compare?run=${runId - 1}&amp;run=${runId}">compare with run ${runId - 1}</a>` : ''}</p>
<h2 id="stages">Stages</h2>
${uiTable(
  [{ label: 'stage' }, { label: 'state' }, { label: 'duration', className: 'num' }, { label: 'attempt', className: 'num' }, { label: 'why it ran / was cached', className: 'reason' }, { label: 'log' }, { label: 'artifacts' }],
  stages.map((s) => stageRow(store, s, attempts(s.stageId))),
  'no stage runs recorded',
)}
<h2 id="timeline">Timeline</h2>
${timeline ? html`<div class="plot">${timeline}</div>` : html`<p class="empty">no stage ran in this run (all cached or skipped)</p>`}
<h2 id="images">Images</h2>
${images.length > 0 ? gallery(images) : html`<p class="empty">no image artifacts</p>`}
${more ? html`<p class="note">the largest ${PER_STAGE} pictures of each stage (at most ${GALLERY_LIMIT}); each stage's page shows all of its images</p>` : ''}`;
  return page({ ...(run.status === 'running' ? { refreshSeconds: REFRESH_SECONDS } : {}), title: `Run ${runId}`, subtitle: `${run.pipelineName} · ${run.status}`, crumbs: [['runs', '/']], workspace: store.workspace, body });
}
