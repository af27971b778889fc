import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/temp-dir.js';
import { PNG } from 'pngjs';
import { decodePng, encodePng, PngError, readPng, writePng } from '../../src/data/media/png.js';
import { toFloatImage } from '../../src/data/media/image.js';
import { contactSheet } from '../../src/data/media/contact-sheet.js';

test('PNG round trip of a Uint8 RGB image is exact', () => {
  const width = 7;
  const height = 5;
  const data = Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 37) % 256);
  const back = decodePng(encodePng({ width, height, data }));
  assert.equal(back.width, width);
  assert.equal(back.height, height);
  assert.deepEqual([...back.data], [...data]);
});

test('PNG round trip of a Float32 image is within half a step; writes are atomic', () => {
  const dir = tempDir('png-');
  const data = Float32Array.from({ length: 4 * 3 * 3 }, (_, i) => (i % 11) / 10);
  data[0] = -0.5; // clamps to 0
  data[1] = 1.7; // clamps to 1
  const p = join(dir, 'x', 'f.png');
  writePng(p, { width: 4, height: 3, data });
  assert.deepEqual(readdirSync(join(dir, 'x')), ['f.png']);
  const back = toFloatImage(readPng(p));
  for (let i = 0; i < data.length; i++) assert.ok(Math.abs(back.data[i]! - Math.min(1, Math.max(0, data[i]!))) <= 0.5 / 255 + 1e-6);
});

test('reading an RGBA PNG drops alpha', () => {
  const png = new PNG({ width: 2, height: 1 });
  png.data = Buffer.from([10, 20, 30, 0, 40, 50, 60, 255]);
  const img = decodePng(PNG.sync.write(png));
  assert.deepEqual([...img.data], [10, 20, 30, 40, 50, 60]);
});

test('PNG errors name the file', () => {
  const dir = tempDir('png-');
  const p = join(dir, 'junk.png');
  writeFileSync(p, 'not a png');
  assert.throws(() => readPng(p), (e: unknown) => e instanceof PngError && /junk\.png: not a readable PNG file/.test(e.message));
  assert.throws(() => encodePng({ width: 2, height: 2, data: new Uint8Array(5) }), /expected 12 values for a 2×2 RGB image, got 5/);
});

test('contact sheet tiles images with gaps and upscaling', () => {
  const red = { width: 2, height: 2, data: new Float32Array(12).fill(0).map((_, i) => (i % 3 === 0 ? 1 : 0)) };
  const sheet = contactSheet([[red, red], [red]], { scale: 2, gap: 1, background: [0, 0, 1] });
  assert.equal(sheet.width, 2 * 4 + 3);
  assert.equal(sheet.height, 2 * 4 + 3);
  assert.deepEqual([...sheet.data.subarray(0, 3)], [0, 0, 1]); // gap
  const at = (x: number, y: number) => [...sheet.data.subarray((y * sheet.width + x) * 3, (y * sheet.width + x) * 3 + 3)];
  assert.deepEqual(at(1, 1), [1, 0, 0]);
  assert.deepEqual(at(7, 7), [0, 0, 1]); // empty cell stays background
});
