// The plots `sonic plots` (and `sonic ui`) make from the run store: curves of stepped metrics, comparisons of
// scalar metrics across stages and runs, and run timelines. Pure: records in, named specs out.
import type { MetricRecord, StageRunRecord } from '../../store/store-api.js';
import { comparisonSpec } from './comparison.js';
import { plotSlug } from './plot-style.js';
import type { VegaLiteSpec } from './render-spec.js';
import { stepCurveSpecs } from './step-curves.js';
import { timelineBars, timelineSpec } from './timeline.js';

export interface NamedSpec {
  name: string; // file-name stem, e.g. curve-stage1-loss
  spec: VegaLiteSpec;
}

/**
 * Labels that tell apart a stage's records of one metric: the stage id, plus the tags whose values differ
 * between that stage's records (e.g. evaluate's `table`), never the tags every record of the stage shares.
 */
function itemLabels(records: readonly MetricRecord[]): string[] {
  const varying = new Map<string, string[]>();
  for (const stage of new Set(records.map((r) => r.stageId))) {
    const mine = records.filter((r) => r.stageId === stage);
    const keys = [...new Set(mine.flatMap((r) => Object.keys(r.tags)))].sort();
    varying.set(stage, keys.filter((k) => new Set(mine.map((r) => r.tags[k])).size > 1));
  }
  return records.map((r) => {
    const keys = varying.get(r.stageId)!;
    return keys.length === 0 ? r.stageId : `${r.stageId} {${keys.map((k) => `${k}=${r.tags[k] ?? ''}`).join(', ')}}`;
  });
}

/**
 * `byRun`: the records come from explicitly chosen runs, and series and bars are told apart by run; otherwise
 * (the current results) every stage contributes its latest values and the run is not shown.
 */
export function metricPlots(records: readonly MetricRecord[], options: { byRun: boolean }): NamedSpec[] {
  const runs = new Set(records.map((r) => r.runId));
  const showRun = options.byRun && runs.size > 1;
  const curves = stepCurveSpecs(records.map((r) => ({ stageId: r.stageId, name: r.name, value: r.value, step: r.step, ...(showRun ? { runId: r.runId } : {}) })));
  const out: NamedSpec[] = curves.map((c) => ({ name: `curve-${plotSlug(c.name)}`, spec: c.spec }));
  const scalars = records.filter((r) => r.step === null && Number.isFinite(r.value));
  for (const name of [...new Set(scalars.map((r) => r.name))].sort()) {
    const rs = scalars.filter((r) => r.name === name);
    const labels = itemLabels(rs);
    const values = rs.map((r, i) => ({ item: labels[i]!, series: showRun ? `run ${r.runId}` : '', value: r.value }));
    if (values.length < 2) continue; // one bar compares nothing
    out.push({ name: `compare-${plotSlug(name)}`, spec: comparisonSpec({ title: name, metric: name, values, subtitle: showRun ? `runs ${[...runs].sort((a, b) => a - b).join(', ')}` : 'latest value of each stage' }) });
  }
  return out;
}

export function runTimelinePlot(runId: number, stageRuns: readonly StageRunRecord[]): NamedSpec | null {
  const bars = timelineBars(stageRuns.filter((s) => s.status !== 'cached'));
  const cached = stageRuns.filter((s) => s.status === 'cached').length;
  if (bars.length === 0) return null;
  const subtitle = `${bars.length} stage run${bars.length === 1 ? '' : 's'} executed${cached > 0 ? `, ${cached} cached (not shown)` : ''}`;
  return { name: `timeline-run${runId}`, spec: timelineSpec({ title: `Run ${runId}: stages over time`, subtitle, bars }) };
}
