// index.html of a world's results directory: how the run was made, Tables 1–4 with the paper's numbers
// beside ours, the ablation findings, the labelled pictures, the training curves and the run timeline. Every
// link is a relative file inside the directory, so the page opens from disk with no network.
import { escapeHtml, figureHtml, linkHtml, listHtml, paragraphHtml, renderHtmlTable, renderPage, type PageSection } from '../../engine/report/html/index.js';
import type { RunRecord } from '../../engine/stage/run-record.js';
import type { Table } from '../../engine/report/table.js';
import type { EvaluationSummary } from './metric-names.js';
import { formatCell as formatTableCell, type BuiltTable } from './paper-tables-impl.js';
import type { WorldPlots } from './world-report-plots.js';

export interface ReportPicture {
  file: string;
  caption: string;
  kind: 'generation' | 'editing' | 'strip';
  width: number; // pixels: a wide picture gets the whole row
}

export interface WorldReportContent {
  world: string;
  profile: string;
  about: string;
  tables: readonly BuiltTable[];
  records: readonly EvaluationSummary[];
  baselineNotes: readonly string[];
  /** Markdown lines of the ablation findings (bullets start with "- "); empty when nothing was compared. */
  findings: readonly string[];
  pictures: readonly ReportPicture[];
  plots: WorldPlots;
  run: RunRecord | null;
  /** tfjs backends the stages logged ("wasm", …), or empty when unknown. */
  backends: readonly string[];
  /** When this page was written (ISO). */
  writtenAt: string;
}


function duration(ms: number): string {
  const s = ms / 1000;
  if (s < 90) return `${s.toFixed(1)} s`;
  if (s < 5400) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(2)} h`;
}

/** "hits AIC" → hits / AIC: the first word of a column is its domain. */
function splitColumn(c: string): { domain: string; metric: string } {
  const i = c.indexOf(' ');
  return i < 0 ? { domain: '', metric: c } : { domain: c.slice(0, i), metric: c.slice(i + 1) };
}

/** `0.528 [0.40, 0.65]` → the value, and its 95 % interval in small type beneath it. */
function intervalCellHtml(text: string): string | undefined {
  const at = text.indexOf(' [');
  if (at < 0) return undefined;
  return `${escapeHtml(text.slice(0, at))}<br><span class="ci">${escapeHtml(text.slice(at + 1))}</span>`;
}

function tableHtml(t: BuiltTable, comparison: WorldPlots['comparisons'][number] | undefined): string {
  const groups: Array<{ label: string; span: number }> = [{ label: '', span: 2 }];
  for (const c of t.columns) {
    const { domain } = splitColumn(c);
    const last = groups[groups.length - 1]!;
    if (groups.length > 1 && last.label === domain) last.span += 1;
    else groups.push({ label: domain, span: 1 });
  }
  const table: Table = {
    title: t.title,
    columns: [
      { key: 'method', label: 'method', align: 'left' },
      { key: 'source', label: 'source', align: 'left' },
      ...t.columns.map((c) => ({ key: c, label: splitColumn(c).metric.replace(/^FID \(.*\)$/, 'FID*'), align: 'right' as const })),
    ],
    rows: t.rows.map((r) => ({ method: r.method, source: r.source, ...Object.fromEntries(t.columns.map((c) => [c, formatTableCell(c, r.cells[c], r.intervals?.[c], r.spreads?.[c]) || '—'])) })),
  };
  const html = renderHtmlTable(table, {
    rowClass: (row, i) => [row.source === 'reported' ? 'reported' : '', i > 0 && t.rows[i - 1]!.method !== row.method ? 'group-start' : ''].filter(Boolean).join(' ') || undefined,
    cellHtml: (key, v) => (key === 'source' ? `<span class="tag">${v === 'reported' ? 'paper' : 'ours'}</span>` : intervalCellHtml(String(v))),
    columnGroups: groups,
  });
  const fid = [...new Set(t.columns.filter((c) => /^\S+ FID \(/.test(c)).map((c) => splitColumn(c).metric))];
  const fidNote = fid.length > 0 ? [`FID* = ${fid.join(', ')} (ours); Inception-v3 FID (paper).`] : [];
  const links = `<p class="notes">${linkHtml(`${t.name}.md`, `${t.name}.md`)} · ${linkHtml(`${t.name}.csv`, `${t.name}.csv`)}</p>`;
  const chart = comparison ? `<div class="figures">${figureHtml(comparison.file, comparison.caption, { wide: true })}</div>` : '';
  return `${html}${listHtml([...fidNote, ...t.notes], 'notes')}${links}${chart}`;
}

function facts(c: WorldReportContent): Array<{ label: string; value: string }> {
  const out: Array<{ label: string; value: string }> = [];
  const run = c.run?.run;
  if (run) {
    out.push({ label: 'Commit', value: run.commit === null ? 'not a git work tree' : `${run.commit.slice(0, 12)}${run.dirty ? ' (uncommitted changes)' : ''}` });
  }
  out.push({ label: 'Profile', value: c.profile || 'default' });
  out.push({ label: 'Backend', value: c.backends.length > 0 ? c.backends.join(', ') : 'not logged' });
  if (run) {
    out.push({ label: 'Run', value: `#${run.id} of ${run.pipelineName} on ${run.host}` });
    out.push({ label: 'Started', value: run.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') });
    const stages = c.run!.stages;
    const executed = stages.filter((s) => s.status === 'succeeded');
    const total = stages.reduce((a, s) => a + (s.durationMs ?? 0), 0);
    out.push({ label: 'Stage time', value: `${duration(total)} over ${stages.length} stages (${executed.length} run now, ${stages.length - executed.length} reused)` });
  }
  out.push({ label: 'Written', value: c.writtenAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') });
  return out;
}

function findingsHtml(lines: readonly string[]): string {
  const bullets = lines.filter((l) => l.startsWith('- ')).map((l) => l.slice(2));
  const prose = lines.filter((l) => l.trim() !== '' && !l.startsWith('- '));
  const items = bullets.map((b) => {
    const marked = escapeHtml(b).replace(/\b(same direction)\b/, '<span class="same">$1</span>').replace(/\b(opposite direction)\b/, '<span class="opposite">$1</span>');
    return `<li>${marked}</li>`;
  });
  return `${prose.map((p) => paragraphHtml(p)).join('')}<ul class="findings">${items.join('')}</ul>`;
}

function timelineTable(run: RunRecord): string {
  const rows = [...run.stages]
    .filter((s) => s.durationMs !== null)
    .sort((a, b) => (b.durationMs ?? 0) - (a.durationMs ?? 0))
    .map((s) => ({ stage: s.stageId, state: s.status === 'cached' ? `reused (run ${s.runId})` : 'run now', duration: duration(s.durationMs!), reason: s.reason }));
  const table = renderHtmlTable({
    columns: [
      { key: 'stage', label: 'stage', align: 'left' },
      { key: 'state', label: 'in this run', align: 'left' },
      { key: 'duration', label: 'duration', align: 'right' },
      { key: 'reason', label: 'why it ran or was reused', align: 'left' },
    ],
    rows,
  });
  return `<details><summary>Stages by duration (${rows.length})</summary>${table}</details>`;
}

export function worldReportHtml(c: WorldReportContent): string {
  const sections: PageSection[] = [];
  const numbers = [
    ...c.baselineNotes.map((n) => paragraphHtml(n)),
    ...c.tables.map((t) => tableHtml(t, c.plots.comparisons.find((p) => p.table === t.name))),
  ];
  sections.push({ id: 'tables', title: 'Tables 1–4: ours beside the paper', html: numbers.join('\n') });
  const full = c.records.filter((r) => r.base);
  if (full.length > 0) {
    const rows = full.map((r) => ({ domain: r.domain, task: r.task, AIC: r.values.AIC, chance: r.chance.AIC, ratio: `${(r.values.AIC / r.chance.AIC).toFixed(1)}×`, images: r.images }));
    sections.push({
      id: 'chance',
      title: 'Full model against chance',
      html: renderHtmlTable({ columns: [{ key: 'domain', label: 'domain' }, { key: 'task', label: 'task' }, { key: 'AIC', label: 'AIC' }, { key: 'chance', label: 'chance AIC' }, { key: 'ratio', label: 'AIC / chance', align: 'right' }, { key: 'images', label: 'test images' }], rows }),
    });
  }
  if (c.findings.length > 0) sections.push({ id: 'ablations', title: "Ablations against the paper's ordering", html: findingsHtml(c.findings) });
  const groups: Array<[ReportPicture['kind'], string]> = [['generation', 'Generation'], ['editing', 'Editing'], ['strip', 'Sound mixing, volume, audio + text']];
  const pictures = groups
    .map(([kind, title]) => [title, c.pictures.filter((p) => p.kind === kind)] as const)
    .filter(([, ps]) => ps.length > 0)
    .map(([title, ps]) => `<h3>${escapeHtml(title)}</h3><div class="figures">${ps.map((p) => figureHtml(p.file, p.caption, { wide: p.width > 560 })).join('\n')}</div>`);
  if (pictures.length > 0) sections.push({ id: 'pictures', title: 'Pictures', html: pictures.join('\n') });
  if (c.plots.curves.length > 0) {
    sections.push({ id: 'curves', title: 'Training curves', html: `<div class="figures">${c.plots.curves.map((p) => figureHtml(p.file, p.caption)).join('\n')}</div>` });
  }
  if (c.run !== null) {
    const tl = c.plots.timeline ? `<div class="figures">${figureHtml(c.plots.timeline.file, c.plots.timeline.caption, { wide: true })}</div>` : '';
    sections.push({ id: 'timeline', title: 'Run timeline', html: `${tl}${timelineTable(c.run)}` });
  }
  const plotFiles = [...c.plots.curves, ...c.plots.comparisons, ...(c.plots.timeline ? [c.plots.timeline] : [])].map((p) => linkHtml(p.spec, p.spec.replace(/^plots\//, '')));
  const files = [linkHtml('README.md', 'README.md'), ...c.tables.flatMap((t) => [linkHtml(`${t.name}.md`, `${t.name}.md`), linkHtml(`${t.name}.csv`, `${t.name}.csv`)])];
  sections.push({
    id: 'files',
    title: 'Files',
    html: `<p>${files.join(' · ')}</p>${plotFiles.length > 0 ? `<p class="notes">Vega-Lite specs of the plots: ${plotFiles.join(' · ')}</p>` : ''}`,
  });
  const argv = c.run ? `sonic ${c.run.run.argv.join(' ')}` : '';
  return renderPage({
    title: `${c.world} results`,
    subtitle: c.about,
    facts: facts(c),
    sections,
    footer: `Written by the report stage of sonicdiffusion${argv ? ` for "${argv}"` : ''}. Every number is ours unless marked "paper".`,
  });
}
