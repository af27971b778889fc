// Writes one plot as DVC-style files: <name>.vl.json (the Vega-Lite spec), <name>.svg and, when asked, <name>.png.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { svgToPng } from '../svg-raster.js';
import { renderSpecToSvg, type VegaLiteSpec } from './render-spec.js';

export interface WrittenPlot {
  name: string;
  spec: string; // file names, relative to the directory
  svg: string;
  png?: string;
}

export async function writePlot(dir: string, name: string, spec: VegaLiteSpec, options: { png?: boolean } = {}): Promise<WrittenPlot> {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`plot name ${JSON.stringify(name)}: use letters, digits, '.', '_' and '-'`);
  mkdirSync(dir, { recursive: true });
  const svg = await renderSpecToSvg(spec);
  const written: WrittenPlot = { name, spec: `${name}.vl.json`, svg: `${name}.svg` };
  writeFileSync(join(dir, written.spec), `${JSON.stringify(spec, null, 2)}\n`);
  writeFileSync(join(dir, written.svg), svg);
  if (options.png) {
    written.png = `${name}.png`;
    writeFileSync(join(dir, written.png), svgToPng(svg, { background: 'white', width: Math.round(svgWidth(svg) * 2) }));
  }
  return written;
}

function svgWidth(svg: string): number {
  const m = /<svg[^>]*\swidth="([\d.]+)"/.exec(svg);
  return m ? Number(m[1]) : 600;
}
