// SVG -> PNG with resvg and the font the project ships (DejaVu Sans, from the dejavu-fonts-ttf package), so a
// picture looks the same, byte for byte, on every machine: no system fonts are consulted.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';

/** The font family every generated picture and plot names. */
export const FONT_FAMILY = 'DejaVu Sans';

let fontFiles: string[] | undefined;

/** Paths of the shipped TTF files (regular and bold). */
export function shippedFontFiles(): string[] {
  if (fontFiles === undefined) {
    const dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    fontFiles = [join(dir, 'DejaVuSans.ttf'), join(dir, 'DejaVuSans-Bold.ttf')];
  }
  return fontFiles;
}

export interface RasterOptions {
  /** Output width in pixels (height follows the aspect ratio); default: the SVG's own size. */
  width?: number;
  /** Fill behind transparent parts, e.g. 'white'; default transparent. */
  background?: string;
}

export function svgToPng(svg: string, options: RasterOptions = {}): Buffer {
  const resvg = new Resvg(svg, {
    font: { fontFiles: shippedFontFiles(), loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    ...(options.width !== undefined ? { fitTo: { mode: 'width' as const, value: options.width } } : {}),
    ...(options.background !== undefined ? { background: options.background } : {}),
  });
  return resvg.render().asPng();
}

/** Text for SVG/HTML character data and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
