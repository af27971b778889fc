// Vega-Lite plots (../plots, shared with the static report) rendered to inline SVG for the UI pages. Rendering
// takes tens of milliseconds per plot, so results are kept by spec in a small cache.
import { createHash } from 'node:crypto';
import { renderSpecToSvg, type VegaLiteSpec } from '../plots/index.js';

const MAX_CACHED = 200;
const cache = new Map<string, string>();

export async function plotSvg(spec: VegaLiteSpec): Promise<string> {
  const key = createHash('sha256').update(JSON.stringify(spec)).digest('hex');
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit); // most recently used last
    return hit;
  }
  // vega writes an XML prolog-free <svg>; its text content is escaped by vega's SVG string renderer
  const svg = await renderSpecToSvg(spec);
  cache.set(key, svg);
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  return svg;
}
