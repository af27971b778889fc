// `/runs/ID/dag`: the run's stage graph as recorded: one box per stage (its latest attempt's state), an arrow
// for every upstream output a stage consumed (from the fingerprint struct each stage run stores).
import type { SqliteRunStore } from '../../store/run-store.js';
import { dagSvg, DAG_STATE_COLORS, reduceEdges, type DagEdge } from './dag-svg.js';
import { html, trusted } from './html.js';
import { badge, page } from './layout.js';
import { fingerprintOf, latestAttempts } from './ui-data.js';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function dagPage(store: SqliteRunStore, runId: number, allEdges: boolean): string | undefined {
  const run = store.run(runId);
  if (run === undefined) return undefined;
  const stages = latestAttempts(store.stageRunsOf(runId));
  // Fingerprint v2 records the content hashes a stage consumed, not the stages that made them: an arrow
  // goes from the stage of this run whose outputs have that hash (v1 structs still name the stage).
  const producers = new Map<string, string>();
  for (const s of stages) {
    for (const a of store.artifactsOf(s.reusedFrom ?? s.id)) producers.set(a.hash, s.stageId);
  }
  const edges: DagEdge[] = [];
  for (const s of stages) {
    for (const refs of Object.values(fingerprintOf(s).upstream)) {
      for (const r of refs) {
        const from = typeof r === 'string' ? producers.get(r) : r.stage;
        if (from !== undefined && from !== s.stageId) edges.push({ from, to: s.stageId });
      }
    }
  }
  const known = new Set(stages.map((s) => s.stageId));
  const recorded = edges.filter((e) => known.has(e.from) && known.has(e.to));
  const total = new Set(recorded.map((e) => `${e.from}>${e.to}`)).size;
  const shown = allEdges ? recorded : reduceEdges(recorded);
  const svg = dagSvg(
    stages.map((s) => ({ id: s.stageId, label: s.stageId, state: s.status, href: `/stage-runs/${s.id}` })),
    shown,
  );
  const hidden = total - new Set(shown.map((e) => `${e.from}>${e.to}`)).size;
  const states = Object.keys(DAG_STATE_COLORS).filter((st) => stages.some((s) => s.status === st));
  const body = html`<p class="note">${plural(stages.length, 'stage', 'stages')}, ${plural(total, 'dependency', 'dependencies')}, as recorded by the run (targets: ${run.targets.length > 0 ? run.targets.join(' ') : 'all'}). Click a stage for its page.
${hidden > 0 ? html` ${plural(hidden, 'arrow', 'arrows')} implied by longer paths ${hidden === 1 ? 'is' : 'are'} hidden: <a href="/runs/${runId}/dag?all=1">show every dependency</a>.` : ''}${allEdges ? html` <a href="/runs/${runId}/dag">hide arrows implied by longer paths</a>.` : ''}</p>
<div class="legend">${states.map((st) => badge(st))}</div>
<div class="dag">${trusted(svg)}</div>`;
  return page({
    title: `Run ${runId}: stage graph`,
    subtitle: `${run.pipelineName} (${run.pipelineFile})`,
    crumbs: [
      ['runs', '/'],
      [`run ${runId}`, `/runs/${runId}`],
    ],
    workspace: store.workspace,
    body,
  });
}
