// Tile rows of equally sized RGB images into one image (nearest-neighbour upscaling, grey gaps).
import { toFloatImage, type RgbImage } from './image.js';

export interface ContactSheetOptions {
  /** Integer upscaling factor per image. Default 2. */
  scale?: number;
  /** Gap between tiles in output pixels. Default 2. */
  gap?: number;
  background?: readonly [number, number, number];
}

export function contactSheet(rows: ReadonlyArray<ReadonlyArray<RgbImage>>, options: ContactSheetOptions = {}): RgbImage<Float32Array> {
  const scale = options.scale ?? 2;
  const gap = options.gap ?? 2;
  const bg = options.background ?? [0.5, 0.5, 0.5];
  const tileW = Math.max(1, ...rows.flatMap((r) => r.map((i) => i.width))) * scale;
  const tileH = Math.max(1, ...rows.flatMap((r) => r.map((i) => i.height))) * scale;
  const cols = Math.max(1, ...rows.map((r) => r.length));
  const width = cols * tileW + (cols + 1) * gap;
  const height = rows.length * tileH + (rows.length + 1) * gap;
  const data = new Float32Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(bg, i * 3);
  rows.forEach((row, r) => {
    row.forEach((img, c) => {
      const f = toFloatImage(img);
      const ox = gap + c * (tileW + gap);
      const oy = gap + r * (tileH + gap);
      for (let y = 0; y < f.height * scale; y++) {
        for (let x = 0; x < f.width * scale; x++) {
          const src = (Math.floor(y / scale) * f.width + Math.floor(x / scale)) * 3;
          data.set(f.data.subarray(src, src + 3), ((oy + y) * width + ox + x) * 3);
        }
      }
    });
  });
  return { width, height, data };
}
