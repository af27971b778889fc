// The plots of a world's report: training curves and the timeline from the run record, and per table our AIC
// beside the paper's. Written under <report>/plots/ as Vega-Lite spec + SVG (+ PNG).
import { join } from 'node:path';
import { comparisonSpec, plotSlug, stepCurveSpecs, timelineBars, timelineSpec, writePlot, type ComparisonValue } from '../../engine/report/plots/index.js';
import type { RunRecord } from '../../engine/stage/run-record.js';
import type { EvaluationSummary } from './metric-names.js';
import type { BuiltTable } from './paper-tables-impl.js';

export interface ReportPlot {
  file: string; // the SVG, relative to the report directory
  spec: string; // the Vega-Lite spec, relative to the report directory
  caption: string;
}

export interface WorldPlots {
  curves: ReportPlot[];
  comparisons: Array<ReportPlot & { table: string }>;
  timeline: ReportPlot | null;
}

/** What each per-step metric the method's and the toy world's training stages log is. */
const CURVE_CAPTIONS: Record<string, string> = {
  stage1_loss: 'Stage 1 (audio projector): total loss, InfoNCE + MSE, per step; one line per domain and ablation.',
  stage1_infonce: 'Stage 1: the InfoNCE (contrastive) part of the loss, per step.',
  stage1_mse: 'Stage 1: the MSE part of the loss (projected audio tokens vs the image caption tokens), per step.',
  stage2_loss: 'Stage 2 (gated audio cross-attention adapters): diffusion noise-prediction loss per step; one line per domain and ablation.',
  train_loss: 'Toy foundation models (toy-CLIP, toy-CLAP, toy-Wav2CLIP): contrastive training loss per step.',
  vae_loss: 'Toy-SD autoencoder: reconstruction loss per step.',
  unet_loss: 'Toy-SD UNet: noise-prediction loss per step.',
};

const DIR = 'plots';

export async function writeWorldPlots(reportDir: string, record: RunRecord | null, tables: readonly BuiltTable[], records: readonly EvaluationSummary[]): Promise<WorldPlots> {
  const dir = join(reportDir, DIR);
  const plot = async (name: string, spec: Parameters<typeof writePlot>[2], caption: string): Promise<ReportPlot> => {
    const w = await writePlot(dir, name, spec);
    return { file: `${DIR}/${w.svg}`, spec: `${DIR}/${w.spec}`, caption };
  };
  const curves: ReportPlot[] = [];
  if (record !== null) {
    const metrics = record.stages.flatMap((s) => s.metrics.map((m) => ({ stageId: s.stageId, runId: s.runId, name: m.name, value: m.value, step: m.step })));
    // Series are stages: the runs that made them do not matter here (a cached stage's values are its source's).
    const byStage = metrics.map(({ runId: _run, ...m }) => m);
    const names = Object.keys(CURVE_CAPTIONS);
    const ordered = stepCurveSpecs(byStage).sort((a, b) => rankOf(names, a.name) - rankOf(names, b.name) || a.name.localeCompare(b.name));
    for (const c of ordered) curves.push(await plot(`curve-${plotSlug(c.name)}`, c.spec, CURVE_CAPTIONS[c.name] ?? `${c.name} per step.`));
  }
  const comparisons: WorldPlots['comparisons'] = [];
  for (const t of tables) {
    const values = aicValues(t, records);
    if (values.length === 0) continue;
    const spec = comparisonSpec({ title: `${t.title.split(' — ')[0]}: AIC`, subtitle: 'ours beside the paper’s reported value; dashed: chance in our world', metric: 'AIC', values });
    comparisons.push({ table: t.name, ...(await plot(`aic-${plotSlug(t.name)}`, spec, `${t.name}: AIC per method and domain, ours beside the paper's reported value; the dashed line is chance (1/#classes) in our world.`)) });
  }
  let timeline: ReportPlot | null = null;
  if (record !== null) {
    const bars = timelineBars(record.stages.map((s) => ({ stageId: s.stageId, status: s.status, startedAt: s.startedAt, finishedAt: s.finishedAt })));
    if (bars.length > 0) {
      const spec = timelineSpec({ title: 'Where the time went', bars });
      timeline = await plot(
        'timeline',
        spec,
        'One bar per stage from its start to its end. Green: executed in the run that wrote this report; grey: reused from an earlier run (shown at the time it ran then). The report stage itself is not shown.',
      );
    }
  }
  return { curves, comparisons, timeline };
}

function rankOf(names: readonly string[], name: string): number {
  const i = names.indexOf(name);
  return i < 0 ? names.length : i;
}

/** Our and the paper's AIC per method (items, in table order), one panel per domain with our chance level. */
function aicValues(t: BuiltTable, records: readonly EvaluationSummary[]): ComparisonValue[] {
  const values: ComparisonValue[] = [];
  for (const column of t.columns.filter((c) => c.endsWith(' AIC'))) {
    const domain = column.slice(0, -' AIC'.length);
    const chance = records.find((r) => r.domain === domain && r.tables.includes(t.name))?.chance.AIC;
    for (const row of t.rows) {
      const v = row.cells[column];
      if (v === null || v === undefined) continue;
      values.push({ item: row.method, series: row.source === 'ours' ? 'ours' : 'paper', value: v, panel: domain, ...(chance !== undefined ? { reference: chance } : {}) });
    }
  }
  return values;
}
