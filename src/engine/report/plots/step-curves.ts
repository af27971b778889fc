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
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: o.subtitle !== undefined ? { text: o.title, subtitle: o.subtitle } : o.title,
    width: o.width ?? 560,
    height: o.height ?? 240,
    data: { values: o.points.map((p) => ({ series: p.series, step: p.step, value: p.value })) },
    mark: { type: 'line', strokeWidth: 1.6, point: o.points.length <= 40 ? { size: 24 } : false },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step' },
      y: { field: 'value', type: 'quantitative', title: o.metric, scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: series.length > 1 ? 'series' : null, sort: series, legend: series.length > 1 ? { orient: 'bottom', direction: 'vertical', columns: 2 } : null },
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
 * One curve spec per metric name that has steps. A series is the stage id, prefixed with the run when the
 * records come from more than one run. Non-finite values are left out.
 */
export function stepCurveSpecs(records: readonly StepMetric[], options: { titlePrefix?: string } = {}): Array<{ name: string; spec: VegaLiteSpec }> {
  const stepped = records.filter((r) => r.step !== null && Number.isFinite(r.value));
  const runs = new Set(stepped.map((r) => r.runId));
  const names = [...new Set(stepped.map((r) => r.name))].sort();
  return names.map((name) => {
    const points = stepped
      .filter((r) => r.name === name)
      .map((r) => ({ series: runs.size > 1 ? `run ${r.runId} · ${r.stageId}` : r.stageId, step: r.step!, value: r.value }));
    const nSeries = new Set(points.map((p) => p.series)).size;
    return {
      name,
      spec: curveSpec({
        title: `${options.titlePrefix ?? ''}${name}`,
        subtitle: `${points.length} points, ${nSeries} series`,
        metric: name,
        points,
      }),
    };
  });
}
