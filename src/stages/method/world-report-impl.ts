import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StageContext } from '../../engine/stage/stage-definition.js';
import { readJson } from '../common/json-file.js';
import { readPng } from '../../data/media/png.js';
import { IMAGE_SET_INDEX, type ImageSetIndex } from './image-set.js';
import type { EvaluationSummary } from './metric-names.js';
import { TEXT_BASELINES, type TextBaseline } from './ablation.js';
import { ablationFindingLines, ablationFindings } from './ablation-findings.js';
import type { BuiltTable } from './paper-tables-impl.js';
import type { WorldReportParams } from './world-report.js';
import { worldReportHtml, type ReportPicture } from './world-report-html.js';
import { writeWorldPlots } from './world-report-plots.js';
import { loggedBackends } from './logged-backends.js';

/** What each text-prompted reference row is (the same frozen backbone; no audio, no adapters). */
const BASELINE_EXPLANATIONS: Record<TextBaseline, string> = {
  text_prompt:
    "is the same frozen diffusion backbone prompted with each test clip's class label as text (null text as the unconditional branch; no audio, no adapters; same sampler, steps, guidance and seeds): a reference for how much of the text-conditioned backbone's class fidelity the audio path reaches.",
  text_pnp: "is the same DDIM inversion + PnP edit with the clip's class label as the text prompt instead of its audio (no adapters).",
};

function baselineNotes(records: readonly EvaluationSummary[], tables: ReadonlyArray<{ name: string; title: string }>): string[] {
  const notes: string[] = [];
  for (const ablation of Object.keys(TEXT_BASELINES) as TextBaseline[]) {
    const rs = records.filter((r) => r.ablation === ablation);
    if (rs.length === 0) continue;
    const names = [...new Set(rs.flatMap((r) => r.tables))].map((n) => tables.find((t) => t.name === n)?.title.split(':')[0] ?? n);
    notes.push(`The "${rs[0]!.method}" row${names.length > 0 ? ` (${names.join(', ')})` : ''} ${BASELINE_EXPLANATIONS[ablation]}`);
  }
  return notes;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

export async function writeWorldReport(ctx: StageContext<WorldReportParams>): Promise<void> {
  const out = ctx.outputs.report!;
  const pics = join(out, 'pictures');
  mkdirSync(pics, { recursive: true });
  const tablesDir = ctx.inputs.tables as string;
  const { tables, records } = readJson<{ tables: BuiltTable[]; records: EvaluationSummary[] }>(join(tablesDir, 'tables.json'), 'the tables summary');
  for (const t of tables) for (const ext of ['md', 'csv']) copyFileSync(join(tablesDir, `${t.name}.${ext}`), join(out, `${t.name}.${ext}`));
  const pictures: ReportPicture[] = [];
  // With several training seeds, each seed's generate/edit output arrives (seed order); the first seed's is shown.
  const copy = (from: string, name: string, caption: string, kind: ReportPicture['kind'] = 'strip') => {
    if (!existsSync(from) || pictures.some((p) => p.file === `pictures/${name}`)) return;
    copyFileSync(from, join(pics, name));
    pictures.push({ file: `pictures/${name}`, caption, kind, width: readPng(from).width });
  };
  for (const dir of ([] as string[]).concat(ctx.inputs.generations ?? [])) {
    const idx = readJson<ImageSetIndex>(join(dir, IMAGE_SET_INDEX), 'a generation index');
    const tag = `${idx.domain}-${slug(idx.method)}`;
    copy(join(dir, 'grid.png'), `generation-${tag}.png`, `${idx.domain}, ${idx.method}: per class, a row of generated images (audio only, null text) above a row of real test images of that class`, 'generation');
    copy(join(dir, 'strips', 'mixing.png'), `mixing-${tag}.png`, `${idx.domain}: sound mixing, CLAP-space interpolation between two classes' clips (same noise)`);
    copy(join(dir, 'strips', 'volume.png'), `volume-${tag}.png`, `${idx.domain}: volume, the waveform scaled before the audio encoder (quiet → loud, same noise)`);
    copy(join(dir, 'strips', 'audio_text.png'), `audio-text-${tag}.png`, `${idx.domain}: one clip with text prompts "" and other class labels (audio + text conditioning)`);
  }
  for (const dir of ([] as string[]).concat(ctx.inputs.edits ?? [])) {
    const idx = readJson<ImageSetIndex>(join(dir, IMAGE_SET_INDEX), 'an editing index');
    copy(join(dir, 'before_after.png'), `editing-${idx.domain}-${slug(idx.method)}.png`, `${idx.domain}, ${idx.method}: source images (top) and their edits (bottom)`, 'editing');
  }
  const lines: string[] = [];
  lines.push(`# ${ctx.params.world} results`, '');
  if (ctx.params.about) lines.push(ctx.params.about, '');
  if (ctx.params.profile) lines.push(`Profile: \`${ctx.params.profile}\`.`, '');
  if (ctx.params.plumbingCheck) {
    lines.push(`> **These numbers are a plumbing check, not findings.** The \`${ctx.params.profile}\` profile runs every stage at tiny sizes to show that the pipeline works end to end; its models are barely trained and its metrics sit near chance. Use the default profile for results.`, '');
  }
  lines.push('## What was run', '');
  const byTask = new Map<string, EvaluationSummary[]>();
  for (const r of records) byTask.set(r.task, [...(byTask.get(r.task) ?? []), r]);
  for (const [task, rs] of byTask) {
    const runs = new Map<string, number>();
    for (const r of rs) runs.set(`${r.domain} / ${r.method} (${r.images} images`, (runs.get(`${r.domain} / ${r.method} (${r.images} images`) ?? 0) + 1);
    lines.push(`- ${task}: ${[...runs].map(([what, n]) => `${what}${n > 1 ? ` × ${n} seeds` : ''})`).join('; ')}`);
  }
  lines.push('', '## Numbers', '');
  const notes = baselineNotes(records, tables);
  for (const note of notes) lines.push(note, '');
  for (const t of tables) {
    const md = readFileSync(join(tablesDir, `${t.name}.md`), 'utf8').replace(/^# /, '### ');
    lines.push(md, `(CSV: [${t.name}.csv](${t.name}.csv))`, '');
  }
  lines.push('## Full-model AIC against chance', '');
  const shown = new Set<string>();
  for (const t of tables) {
    // The full model's AIC per domain, from the first table that has it (generation: Table 1, editing: Table 2).
    const row = t.rows.find((r) => r.source === 'ours' && r.kind === 'base');
    if (!row) continue;
    for (const column of t.columns.filter((c) => c.endsWith(' AIC'))) {
      const domain = column.slice(0, -' AIC'.length);
      const rs = records.filter((r) => r.base && r.domain === domain && r.tables.includes(t.name));
      const value = row.cells[column];
      const ci = row.intervals?.[column];
      if (value == null || !ci || rs.length === 0 || shown.has(`${rs[0]!.task}/${domain}`)) continue;
      shown.add(`${rs[0]!.task}/${domain}`);
      const chance = rs[0]!.chance.AIC;
      const seeds = row.seeds && row.seeds > 1 ? `, mean of ${row.seeds} seeds ± ${row.spreads?.[column]?.toFixed(3)}` : '';
      lines.push(`- ${domain} ${rs[0]!.task}: AIC ${value.toFixed(3)} [${ci.low.toFixed(2)}, ${ci.high.toFixed(2)}] vs chance ${chance.toFixed(3)} (${(value / chance).toFixed(1)}× chance; ${ci.low > chance ? 'its interval lies above chance' : 'its interval reaches chance'}; ${rs[0]!.images} images${seeds})`);
    }
  }
  const findings = ablationFindingLines(ablationFindings(tables));
  if (findings.length > 0) lines.push('', "## Ablations against the paper's ordering", '', ...findings);
  lines.push('', '## Pictures', '');
  for (const p of pictures) lines.push(`- [${p.file}](${p.file}): ${p.caption}`, '', `  ![${p.caption}](${p.file})`, '');
  lines.push('## Plots and the HTML report', '', 'Open [index.html](index.html) for the tables, pictures, training curves and run timeline on one page; the plots are in [plots/](plots/) as Vega-Lite specs and SVG.', '');
  writeFileSync(join(out, 'README.md'), lines.join('\n'));
  const run = ctx.runRecord ? ctx.runRecord() : null;
  const plots = await writeWorldPlots(out, run, tables, records);
  const html = worldReportHtml({
    world: ctx.params.world,
    profile: ctx.params.profile,
    about: ctx.params.about,
    tables,
    records,
    baselineNotes: notes,
    findings,
    pictures,
    plots,
    run,
    backends: run ? loggedBackends(run.stages) : [],
    writtenAt: new Date().toISOString(),
  });
  writeFileSync(join(out, 'index.html'), html);
  ctx.metric('pictures', pictures.length);
  ctx.log(`report: ${tables.length} tables, ${pictures.length} pictures, ${records.length} evaluations`);
}
