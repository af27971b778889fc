// PNG read/write through pngjs. Images are RGB HWC (alpha is dropped on read, written opaque).
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { writeFileAtomicSync } from './atomic-write.js';
import { toUint8Image, type RgbImage } from './image.js';

export class PngError extends Error {}

export function decodePng(bytes: Uint8Array, name = '<buffer>'): RgbImage<Uint8Array> {
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new PngError(`${name}: not a readable PNG file (${(e as Error).message})`);
  }
  const { width, height } = png;
  const data = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < width * height; i++, j += 4) {
    data[i * 3] = png.data[j]!;
    data[i * 3 + 1] = png.data[j + 1]!;
    data[i * 3 + 2] = png.data[j + 2]!;
  }
  return { width, height, data };
}

export function readPng(path: string): RgbImage<Uint8Array> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new PngError(`${path}: cannot read PNG file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return decodePng(bytes, path);
}

export function encodePng(image: RgbImage): Buffer {
  const { width, height } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new PngError(`encodePng: image size must be positive integers, got ${width}×${height}`);
  }
  if (image.data.length !== width * height * 3) {
    throw new PngError(`encodePng: expected ${width * height * 3} values for a ${width}×${height} RGB image, got ${image.data.length}`);
  }
  const rgb = toUint8Image(image).data;
  const png = new PNG({ width, height, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  png.data = Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength);
  return PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false });
}

/** Write an RGB PNG atomically (temp file + rename). */
export function writePng(path: string, image: RgbImage): void {
  writeFileAtomicSync(path, encodePng(image));
}
