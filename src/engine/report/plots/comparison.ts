// A metric compared across runs, stages or ablations: horizontal bars, one group per item, one bar per series.
import type { VegaLiteSpec } from './render-spec.js';
import { PLOT_CONFIG, VEGA_LITE_SCHEMA } from './plot-style.js';

export interface ComparisonValue {
  item: string; // a row of the chart (a stage, an ablation, a method)
  series: string; // a bar within the row (a run, a domain); '' when there is one series
  value: number;
}

export interface ComparisonOptions {
  title: string;
  metric: string; // x-axis title
  values: readonly ComparisonValue[];
  subtitle?: string;
  /** A dashed reference line (e.g. chance level) at this value. */
  reference?: { value: number; label: string };
  width?: number;
}

export function comparisonSpec(o: ComparisonOptions): VegaLiteSpec {
  const items = [...new Set(o.values.map((v) => v.item))];
  const series = [...new Set(o.values.map((v) => v.series))];
  const multi = series.length > 1;
  const bars = {
    mark: { type: 'bar', height: { band: multi ? 1 : 0.7 } },
    encoding: {
      y: { field: 'item', type: 'nominal', title: null, sort: items, axis: { labelLimit: 320 } },
      x: { field: 'value', type: 'quantitative', title: o.metric },
      ...(multi
        ? { yOffset: { field: 'series', type: 'nominal', sort: series }, color: { field: 'series', type: 'nominal', title: null, sort: series } }
        : { color: { value: '#4c78a8' } }),
    },
  };
  const labels = {
    mark: { type: 'text', align: 'left', dx: 3, fontSize: 10, color: '#333' },
    encoding: {
      ...bars.encoding,
      text: { field: 'value', type: 'quantitative', format: '.4~g' },
      color: { value: '#333' },
    },
  };
  const layers: object[] = [bars, labels];
  if (o.reference !== undefined) {
    layers.push({
      data: { values: [{ value: o.reference.value, label: o.reference.label }] },
      layer: [
        { mark: { type: 'rule', strokeDash: [4, 3], color: '#c44' }, encoding: { x: { field: 'value', type: 'quantitative' } } },
        { mark: { type: 'text', color: '#c44', align: 'left', dx: 3, y: -6, fontSize: 10 }, encoding: { x: { field: 'value', type: 'quantitative' }, text: { field: 'label' } } },
      ],
    });
  }
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: o.subtitle !== undefined ? { text: o.title, subtitle: o.subtitle } : o.title,
    width: o.width ?? 480,
    height: { step: multi ? 12 * series.length + 6 : 22 },
    data: { values: o.values.map((v) => ({ item: v.item, series: v.series, value: v.value })) },
    layer: layers,
    config: PLOT_CONFIG,
  } as unknown as VegaLiteSpec;
}
