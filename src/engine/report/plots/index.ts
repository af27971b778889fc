// Plots from metrics and stage runs as Vega-Lite specs (DVC's plot format), rendered to SVG/PNG in Node.
export { curveSpec, shortSeriesNames, stepCurveSpecs, type CurveOptions, type CurvePoint, type StepMetric } from './step-curves.js';
export { comparisonSpec, type ComparisonOptions, type ComparisonValue } from './comparison.js';
export { timelineBars, timelineSpec, STATE_COLORS, type TimelineBar } from './timeline.js';
export { renderSpecToPng, renderSpecToSvg, type VegaLiteSpec } from './render-spec.js';
export { plotSlug, PLOT_CONFIG } from './plot-style.js';
export { writePlot, type WrittenPlot } from './write-plot.js';
export { metricPlots, runTimelinePlot, type NamedSpec } from './store-plots.js';
