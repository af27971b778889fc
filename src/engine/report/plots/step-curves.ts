// Training curves: one Vega-Lite line chart per metric name, one line per series (a stage, or run + stage).
import type { VegaLiteSpec } from './render-spec.js';
import { PLOT_CONFIG, VEGA_LITE_SCHEMA } from './plot-style.js';

export interface CurvePoint {
  series: string;
  step: number;
  value: number;
}

export interface CurveOptions {
  title: string;
  metric: string; // y-axis title
  points: readonly CurvePoint[];
  subtitle?: string;
  width?: number;
  height?: number;
}

export function curveSpec(o: CurveOptions): VegaLiteSpec {
  const series = [...new Set(o.points.map((p) => p.series))];
  const longest = Math.max(0, ...series.map((s) => s.length));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: o.subtitle !== undefined ? { text: o.title, subtitle: o.subtitle } : o.title,
    width: o.width ?? 420,
    height: o.height ?? 240,
    data: { values: o.points.map((p) => ({ series: p.series, step: p.step, value: p.value })) },
    mark: { type: 'line', strokeWidth: 1.6, point: o.points.length <= 40 ? { size: 24 } : false },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step', axis: { tickMinStep: 1, format: 'd' } },
      y: { field: 'value', type: 'quantitative', title: o.metric, scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: series.length > 1 ? 'series' : null, sort: series, legend: series.length > 1 ? { orient: 'bottom', direction: 'vertical', columns: longest > 28 ? 1 : 2, labelLimit: 1000 } : null },
    },
    config: PLOT_CONFIG,
  } as VegaLiteSpec;
}

/** A metric record as the store returns it (or a run record holds it). */
export interface StepMetric {
  stageId: string;
  runId?: number;
  name: string;
  value: number;
  step: number | null;
}

/**
 * Series names without what they all share: matrix instances of one stage (`train[data=a,x=1]`,
 * `train[data=b,x=1]`) become their matrix values (`data=a,x=1`); anything else is left as it is.
 */
export function shortSeriesNames(names: readonly string[]): Map<string, string> {
  const bases = new Set(names.map((n) => /^([^[]+)\[(.*)\]$/.exec(n)?.[1] ?? null));
  const strip = bases.size === 1 && !bases.has(null) && names.length > 1;
  return new Map(names.map((n) => [n, strip ? n.slice(n.indexOf('[') + 1, -1).replace(/,/g, ', ') : n]));
}

/**
 * One curve spec per metric name that has steps. A series is the stage id, prefixed with the run when the
 * records come from more than one run. Non-finite values are left out.
 */
export function stepCurveSpecs(records: readonly StepMetric[], options: { titlePrefix?: string } = {}): Array<{ name: string; spec: VegaLiteSpec }> {
  const stepped = records.filter((r) => r.step !== null && Number.isFinite(r.value));
  const runs = new Set(stepped.map((r) => r.runId));
  const names = [...new Set(stepped.map((r) => r.name))].sort();
  return names.map((name) => {
    const mine = stepped.filter((r) => r.name === name);
    const short = shortSeriesNames([...new Set(mine.map((r) => r.stageId))]);
    const stripped = mine.some((r) => short.get(r.stageId) !== r.stageId);
    const points = mine.map((r) => {
      const stage = short.get(r.stageId)!;
      return { series: runs.size > 1 ? `run ${r.runId} · ${stage}` : stage, step: r.step!, value: r.value };
    });
    const nSeries = new Set(points.map((p) => p.series)).size;
    const base = stripped ? ` of ${mine[0]!.stageId.slice(0, mine[0]!.stageId.indexOf('['))}` : '';
    return {
      name,
      spec: curveSpec({
        title: `${options.titlePrefix ?? ''}${name}`,
        subtitle: `${points.length} points, ${nSeries} series${base}`,
        metric: name,
        points,
      }),
    };
  });
}
