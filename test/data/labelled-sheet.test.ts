// Labelled grids: what they say (header, row labels, captions), how text is fitted, and PNGs drawn with the
// shipped font that are the same bytes every time and keep every tile pixel as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodePng } from '../../src/data/media/png.js';
import { fitText, labelledSheetSvg, wrapText } from '../../src/data/media/labelled-sheet.js';
import type { RgbImage } from '../../src/data/media/image.js';
import { labelledGridPng } from '../../src/stages/common/labelled-grid.js';

const solid = (r: number, g: number, b: number, size = 8): RgbImage<Uint8Array> => {
  const data = new Uint8Array(size * size * 3);
  for (let i = 0; i < size * size; i++) data.set([r, g, b], i * 3);
  return { width: size, height: size, data };
};

const sheet = () => ({
  title: 'SonicDiffusion — editing — hits',
  subtitle: 'source images & their edits <towards> another class',
  columnLabels: ['w = 0', 'w = 1'],
  rows: [
    { label: 'source', sublabel: 'its class', images: [solid(200, 30, 30), solid(30, 200, 30)], captions: ['wood', 'metal'] },
    { label: 'edited', images: [solid(30, 30, 200), solid(250, 250, 0)], captions: ['→ metal', '→ wood'] },
  ],
});

test('the SVG carries the header, every row label, column label and caption, escaped', () => {
  const svg = labelledSheetSvg({ ...sheet(), fontFamily: 'DejaVu Sans' });
  for (const text of ['SonicDiffusion — editing — hits', 'source', 'its class', 'edited', 'w = 0', 'w = 1', 'wood', 'metal', '→ metal', '→ wood']) {
    assert.ok(svg.includes(`>${text}</text>`), `missing ${text}`);
  }
  assert.ok(svg.includes('source images &amp; their edits'), 'the subtitle, escaped');
  assert.ok(svg.includes('&lt;towards&gt;'), 'the subtitle, escaped');
  assert.equal((svg.match(/<image /g) ?? []).length, 4);
  assert.ok(!/href="(?!data:image\/png;base64,)/.test(svg), 'tiles are embedded, never linked');
});

test('fitText cuts with an ellipsis; wrapText breaks after spaces or hyphens and never exceeds its lines', () => {
  assert.equal(fitText('short', 10, 100), 'short');
  assert.equal(fitText('a much longer label than fits', 10, 62), 'a much lo…');
  assert.deepEqual(wrapText('hits-cloth-test-0000', 10, 70, 2), ['hits-cloth-', 'test-0000']);
  const lines = wrapText('one two three four five six seven eight nine ten', 10, 62, 3);
  assert.equal(lines.length, 3);
  assert.ok(lines[2]!.endsWith('…'));
  for (const l of lines) assert.ok([...l].length <= 10, l);
});

test('the PNG is byte-repeatable, tiles are upscaled nearest-neighbour to at least 96 px, pixels unchanged', () => {
  const a = labelledGridPng(sheet());
  const b = labelledGridPng(sheet());
  assert.ok(a.equals(b), 'two renderings of one sheet differ');
  const img = decodePng(a);
  const px = (x: number, y: number) => [...img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3)];
  // the red tile: exactly the source colour over 96 × 96 pixels (8 px × 12), and no further
  let found: [number, number] | undefined;
  for (let y = 0; y < img.height && !found; y++) {
    for (let x = 0; x < img.width; x++) {
      if (px(x, y).join() === '200,30,30') {
        found = [x, y];
        break;
      }
    }
  }
  assert.ok(found, 'the red tile is not in the picture');
  const [x0, y0] = found!;
  assert.deepEqual(px(x0 + 95, y0 + 95), [200, 30, 30]);
  assert.notDeepEqual(px(x0 + 96, y0), [200, 30, 30]);
  // text is drawn: dark pixels in the header band above the first tile
  let dark = 0;
  for (let y = 0; y < y0 - 20; y++) for (let x = 0; x < img.width; x++) if (px(x, y).every((c) => c < 80)) dark++;
  assert.ok(dark > 200, `header text not drawn (${dark} dark pixels)`);
});
