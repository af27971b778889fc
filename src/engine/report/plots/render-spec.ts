// Vega-Lite spec -> SVG in Node (vega's headless View; no browser, no canvas). Text is measured by vega's
// estimate, so the SVG is the same on every machine; svgToPng draws it with the shipped font.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { svgToPng } from '../svg-raster.js';

export type VegaLiteSpec = TopLevelSpec;

export async function renderSpecToSvg(spec: VegaLiteSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function renderSpecToPng(spec: VegaLiteSpec, options: { scale?: number } = {}): Promise<Buffer> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none', logLevel: vega.Error });
  try {
    const svg = await view.toSVG(options.scale ?? 1);
    return svgToPng(svg, { background: 'white' });
  } finally {
    view.finalize();
  }
}
