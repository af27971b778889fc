// A metric compared across runs, stages or ablations: horizontal bars, one group per item, one bar per
// series, optionally one panel per facet value (e.g. a domain) with a dashed reference line (e.g. chance).
import type { VegaLiteSpec } from './render-spec.js';
import { PLOT_CONFIG, VEGA_LITE_SCHEMA } from './plot-style.js';

export interface ComparisonValue {
  item: string; // a row of the chart (a stage, an ablation, a method)
  series: string; // a bar within the row (a run, ours vs paper); '' when there is one series
  value: number;
  panel?: string; // a panel of its own (e.g. a domain); all values or none carry one
  reference?: number; // drawn as a dashed line in the value's panel (e.g. chance level)
}

export interface ComparisonOptions {
  title: string;
  metric: string; // x-axis title
  values: readonly ComparisonValue[];
  subtitle?: string;
  width?: number; // of one panel
}

export function comparisonSpec(o: ComparisonOptions): VegaLiteSpec {
  const items = [...new Set(o.values.map((v) => v.item))];
  const series = [...new Set(o.values.map((v) => v.series))];
  const panels = [...new Set(o.values.flatMap((v) => (v.panel === undefined ? [] : [v.panel])))];
  const multi = series.length > 1;
  const y = { field: 'item', type: 'nominal', title: null, sort: items, axis: { labelLimit: 600 } };
  const x = { field: 'value', type: 'quantitative', title: o.metric };
  const layers: object[] = [
    {
      mark: { type: 'bar', height: { band: multi ? 1 : 0.7 } },
      encoding: {
        y,
        x,
        ...(multi
          ? { yOffset: { field: 'series', type: 'nominal', sort: series }, color: { field: 'series', type: 'nominal', title: null, sort: series, legend: { orient: 'top' } } }
          : { color: { value: '#4c78a8' } }),
      },
    },
    {
      mark: { type: 'text', align: 'left', dx: 3, fontSize: 10, color: '#333' },
      encoding: { y, x, ...(multi ? { yOffset: { field: 'series', type: 'nominal', sort: series } } : {}), text: { field: 'value', type: 'quantitative', format: '.3~f' } },
    },
  ];
  if (o.values.some((v) => v.reference !== undefined)) {
    layers.push({
      mark: { type: 'rule', strokeDash: [4, 3], color: '#c44', strokeWidth: 1.5 },
      encoding: { x: { aggregate: 'max', field: 'reference', type: 'quantitative' } },
    });
  }
  const data = { values: o.values.map((v) => ({ item: v.item, series: v.series, value: v.value, ...(v.panel !== undefined ? { panel: v.panel } : {}), ...(v.reference !== undefined ? { reference: v.reference } : {}) })) };
  const height = { step: multi ? 11 * series.length + 6 : 22 };
  const title = o.subtitle !== undefined ? { text: o.title, subtitle: o.subtitle } : o.title;
  if (panels.length > 0) {
    return {
      $schema: VEGA_LITE_SCHEMA,
      title,
      data,
      facet: { column: { field: 'panel', type: 'nominal', title: null, sort: panels, header: { labelFontSize: 12, labelFontWeight: 'bold' } } },
      spec: { width: o.width ?? 200, height, layer: layers },
      resolve: { scale: { x: 'shared' } },
      config: PLOT_CONFIG,
    } as unknown as VegaLiteSpec;
  }
  return { $schema: VEGA_LITE_SCHEMA, title, width: o.width ?? 480, height, data, layer: layers, config: PLOT_CONFIG } as unknown as VegaLiteSpec;
}
