// Writes a labelled grid (data/media/labelled-sheet.ts) as a PNG drawn with the project's shipped font.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { labelledSheetSvg, writeFileAtomicSync, type LabelledSheet } from '../../data/media/index.js';
import { FONT_FAMILY, svgToPng } from '../../engine/report/svg-raster.js';

export function labelledGridPng(sheet: Omit<LabelledSheet, 'fontFamily'>): Buffer {
  return svgToPng(labelledSheetSvg({ ...sheet, fontFamily: FONT_FAMILY }));
}

export function writeLabelledGrid(dir: string, rel: string, sheet: Omit<LabelledSheet, 'fontFamily'>): void {
  const path = join(dir, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomicSync(path, labelledGridPng(sheet));
}
