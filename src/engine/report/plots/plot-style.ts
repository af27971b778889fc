// The look every plot shares: the shipped font, a white background, quiet axes.
import { FONT_FAMILY } from '../svg-raster.js';

export const PLOT_CONFIG = {
  font: FONT_FAMILY,
  background: 'white',
  padding: 8,
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e6e6e6', domainColor: '#888', tickColor: '#888' },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 360 },
  title: { fontSize: 14, anchor: 'start' as const, offset: 10, subtitleFontSize: 11, subtitleColor: '#555' },
  view: { stroke: '#ddd' },
};

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** A file-name-safe slug of a metric or stage name. */
export function plotSlug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'plot';
}
