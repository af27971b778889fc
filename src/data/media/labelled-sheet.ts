// A contact sheet that says what it shows: a header (title and subtitle), a label at the left of every row,
// optional column labels above the tiles and a caption under each tile. Written as SVG with the tiles as
// embedded PNGs (upscaled nearest-neighbour first, so nothing is smoothed); the caller rasterises it with
// the project's font (engine/report/svg-raster.ts). Text widths are estimated from the character count, so
// the layout is the same on every machine.
import { contactSheet } from './contact-sheet.js';
import type { RgbImage } from './image.js';
import { encodePng } from './png.js';

export interface LabelledRow {
  label: string; // e.g. the class, "generated" / "real"
  sublabel?: string; // a second, smaller line under the label
  images: readonly RgbImage[];
  captions?: readonly string[]; // one short line under each tile (e.g. "→ rain")
}

export interface LabelledSheet {
  title: string; // e.g. "SonicDiffusion — generation — hits"
  subtitle?: string; // what the rows are
  columnLabels?: readonly string[]; // above the tiles of the first row
  rows: readonly LabelledRow[];
  /** Integer upscaling factor per tile. Default: the smallest that makes tiles at least 96 pixels wide. */
  scale?: number;
  fontFamily: string;
}

const PAD = 12;
const MIN_WIDTH = 360;
const MIN_TILE = 96;
const GAP = 4;
const TITLE_SIZE = 16;
const TEXT_SIZE = 12;
const SMALL_SIZE = 10;
/** DejaVu Sans averages ~0.6 em per character; 0.62 keeps estimated widths on the safe side. */
const EM_PER_CHAR = 0.62;

const textWidth = (s: string, size: number) => [...s].length * size * EM_PER_CHAR;

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const charsThatFit = (size: number, width: number) => Math.max(1, Math.floor(width / (size * EM_PER_CHAR) + 1e-6));

/** Cuts a string to fit `width` pixels at `size`, ending it with an ellipsis when cut. */
export function fitText(s: string, size: number, width: number): string {
  const max = charsThatFit(size, width);
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

/**
 * Breaks a string into at most `maxLines` lines that fit `width`, after spaces or hyphens where it can;
 * the last line is cut with an ellipsis when the text is longer.
 */
export function wrapText(s: string, size: number, width: number, maxLines: number): string[] {
  const max = charsThatFit(size, width);
  const lines: string[] = [];
  let rest = [...s];
  while (rest.length > 0 && lines.length < maxLines - 1) {
    if (rest.length <= max) break;
    let cut = -1;
    for (let i = max; i > 0; i--) if (rest[i - 1] === ' ' || rest[i - 1] === '-') { cut = i; break; }
    if (cut <= 0) cut = max;
    lines.push(rest.slice(0, cut).join('').trimEnd());
    rest = rest.slice(cut);
    while (rest[0] === ' ') rest = rest.slice(1);
  }
  if (rest.length > 0) lines.push(fitText(rest.join(''), size, width));
  return lines;
}

function tilePng(image: RgbImage, scale: number): string {
  return encodePng(contactSheet([[image]], { scale, gap: 0 })).toString('base64');
}

export function labelledSheetSvg(sheet: LabelledSheet): string {
  const widest = Math.max(1, ...sheet.rows.flatMap((r) => r.images.map((i) => i.width)));
  const scale = sheet.scale ?? Math.max(1, Math.ceil(MIN_TILE / widest));
  const tileW = Math.max(1, ...sheet.rows.flatMap((r) => r.images.map((i) => i.width))) * scale;
  const tileH = Math.max(1, ...sheet.rows.flatMap((r) => r.images.map((i) => i.height))) * scale;
  const cols = Math.max(1, ...sheet.rows.map((r) => r.images.length));
  const labelW = Math.min(240, Math.max(60, ...sheet.rows.map((r) => Math.max(textWidth(r.label, TEXT_SIZE), textWidth(r.sublabel ?? '', SMALL_SIZE))))) + 10;
  const gridW = cols * tileW + (cols - 1) * GAP;
  // bold runs ~5% wider than the estimate; a narrow grid still gets room for a readable subtitle
  const width = Math.ceil(Math.max(PAD * 2 + labelW + gridW, PAD * 2 + textWidth(sheet.title, TITLE_SIZE) * 1.05, MIN_WIDTH));
  const esc = (s: string, size: number, w: number) => escapeXml(fitText(s, size, w));
  const out: string[] = [];
  let y = PAD + TITLE_SIZE;
  out.push(`<text x="${PAD}" y="${y}" font-size="${TITLE_SIZE}" font-weight="bold">${esc(sheet.title, TITLE_SIZE, (width - 2 * PAD) / 1.05)}</text>`);
  if (sheet.subtitle !== undefined && sheet.subtitle !== '') {
    y += 4;
    for (const line of wrapText(sheet.subtitle, TEXT_SIZE, width - 2 * PAD, 6)) {
      y += TEXT_SIZE + 3;
      out.push(`<text x="${PAD}" y="${y}" font-size="${TEXT_SIZE}" fill="#444">${escapeXml(line)}</text>`);
    }
  }
  y += 10;
  const x0 = PAD + labelW;
  if (sheet.columnLabels !== undefined && sheet.columnLabels.length > 0) {
    y += SMALL_SIZE + 2;
    sheet.columnLabels.forEach((label, c) => {
      const cx = x0 + c * (tileW + GAP) + tileW / 2;
      out.push(`<text x="${cx}" y="${y}" font-size="${SMALL_SIZE}" text-anchor="middle" fill="#333">${esc(label, SMALL_SIZE, tileW + GAP)}</text>`);
    });
    y += 4;
  }
  for (const row of sheet.rows) {
    const top = y;
    const mid = top + tileH / 2;
    const hasSub = row.sublabel !== undefined && row.sublabel !== '';
    out.push(`<text x="${PAD}" y="${hasSub ? mid - 2 : mid + TEXT_SIZE / 3}" font-size="${TEXT_SIZE}" font-weight="bold">${esc(row.label, TEXT_SIZE, labelW - 10)}</text>`);
    if (hasSub) out.push(`<text x="${PAD}" y="${mid + SMALL_SIZE + 2}" font-size="${SMALL_SIZE}" fill="#555">${esc(row.sublabel!, SMALL_SIZE, labelW - 10)}</text>`);
    row.images.forEach((img, c) => {
      const x = x0 + c * (tileW + GAP);
      out.push(`<image x="${x}" y="${top}" width="${img.width * scale}" height="${img.height * scale}" href="data:image/png;base64,${tilePng(img, scale)}"/>`);
    });
    y += tileH;
    if (row.captions !== undefined && row.captions.length > 0) {
      const wrapped = row.captions.map((cap) => wrapText(cap, SMALL_SIZE, tileW + GAP, 2));
      const lines = Math.max(1, ...wrapped.map((w) => w.length));
      wrapped.forEach((capLines, c) => {
        const cx = x0 + c * (tileW + GAP) + tileW / 2;
        capLines.forEach((line, k) => {
          out.push(`<text x="${cx}" y="${y + (k + 1) * (SMALL_SIZE + 2)}" font-size="${SMALL_SIZE}" text-anchor="middle" fill="#333">${escapeXml(line)}</text>`);
        });
      });
      y += lines * (SMALL_SIZE + 2) + 2;
    }
    y += GAP + 2;
  }
  const height = Math.ceil(y + PAD - GAP);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(sheet.fontFamily)}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...out,
    '</svg>',
  ].join('\n');
}
