import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/temp-dir.js';
import { AnnotationError, materialWindows, parseTimesFile } from '../../../src/data/ingest/greatest-hits-annotations.js';
import { IngestError } from '../../../src/data/ingest/errors.js';
import { clipIntensity } from '../../../src/data/ingest/intensity.js';
import { normalizeLandscapeLabel, normalizeMaterial } from '../../../src/data/ingest/labels.js';
import { listId, readLandscapeLabels, readSplitLists } from '../../../src/data/ingest/landscape-lists.js';

test('Greatest Hits times file: header, None, unknown materials, CRLF; bad lines name file and line', () => {
  const text = 'time material action reaction\r\n1.5 wood hit static\r\n\r\n0.5 Plastic_Bag scratch deformation\r\n2.0 None None None\r\n3.0 styrofoam hit static\r\n# comment\r\n';
  const p = parseTimesFile(text, 'x_times.txt');
  assert.deepEqual(p.events.map((e) => [e.time, e.material, e.action, e.line]), [[0.5, 'plastic-bag', 'scratch', 4], [1.5, 'wood', 'hit', 2], [2, undefined, 'none', 5], [3, undefined, 'hit', 6]]);
  assert.deepEqual(p.unknownMaterials, ['styrofoam']);
  assert.throws(() => parseTimesFile('1 wood hit static\nabc wood hit static\n', 'y_times.txt'), (e: unknown) => e instanceof AnnotationError && /y_times\.txt:2: time 'abc' is not a number/.test(e.message));
  assert.throws(() => parseTimesFile('1 wood\n-2 wood\n', 'z'), /z:2: negative time/);
  assert.throws(() => parseTimesFile('1\n', 'w'), /w:1: expected 'time material action reaction'/);
});

const ev = (time: number, material: string | undefined) => ({ time, material, action: 'hit', reaction: 'static', line: 0 });

test('material windows: one window per single-material stretch that fits; other materials cut stretches', () => {
  const events = [
    ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((t) => ev(t, 'wood')),
    ev(6.5, undefined), // unannotated: ignored
    ...[13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34].map((t) => ev(t, 'metal')),
    ev(35, 'rock'), ev(36, 'glass'), ev(37, 'rock'),
  ];
  const w = materialWindows(events, { windowSeconds: 10, durationSeconds: 40 });
  assert.deepEqual(w.map((x) => [x.material, x.start]), [['wood', 0.5], ['metal', 12.5], ['metal', 22.5]]);
  for (const x of w) {
    assert.ok(x.frameTime >= x.start && x.frameTime < x.start + 10, 'frame inside the window');
    assert.ok(Math.abs(x.frameTime - (x.start + 5)) <= 0.5 + 1e-9, 'frame at the hit nearest the middle');
  }
  // The second metal window would run past the media end at 30 s.
  assert.deepEqual(materialWindows(events, { windowSeconds: 10, durationSeconds: 30 }).map((x) => x.start), [0.5, 12.5]);
  // minHits: a 10 s window with 1 hit is not enough.
  assert.deepEqual(materialWindows([ev(3, 'leaf'), ev(20, 'tile')], { windowSeconds: 10, durationSeconds: 40 }).length, 0);
  assert.deepEqual(materialWindows([ev(3, 'leaf'), ev(20, 'tile')], { windowSeconds: 10, durationSeconds: 40, minHits: 1 }).map((x) => [x.material, x.start]), [['leaf', 2.5], ['tile', 19.5]]);
  // A window must start after the previous other-material event.
  const tight = materialWindows([ev(1, 'rock'), ev(1.2, 'wood'), ev(2, 'wood'), ev(9, 'wood')], { windowSeconds: 10, durationSeconds: 20 });
  assert.equal(tight.length, 1);
  assert.ok(tight[0]!.start > 1 && tight[0]!.start <= 1.1);
});

test('Landscape labels CSV: CRLF, normalised class names, video and clip ids; errors name file and line', () => {
  const dir = tempDir('labels-');
  const good = join(dir, 'labels.csv');
  writeFileSync(good, 'ID,Class\r\n0516,Fire_Crackling\r\n0517_0003.wav,wind   noise\r\n\r\n0518,raining\r\n');
  assert.deepEqual([...readLandscapeLabels(good)], [['0516', 'fire crackling'], ['0517_0003', 'wind noise'], ['0518', 'raining']]);
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'id,label\r\n0001,raining\r\n0002,lava\r\n');
  assert.throws(() => readLandscapeLabels(bad), (e: unknown) => e instanceof IngestError && e.message.includes(`${bad}:3: label 'lava' is not a Landscape class`));
  const noHeader = join(dir, 'nohead.csv');
  writeFileSync(noHeader, '0001,raining\n');
  assert.throws(() => readLandscapeLabels(noHeader), /:1: the header needs an id column/);
  const conflict = join(dir, 'conflict.csv');
  writeFileSync(conflict, 'id,label\n0001,raining\n0001,thunder\n');
  assert.throws(() => readLandscapeLabels(conflict), /conflict\.csv:3: '0001' is labelled 'thunder' here but 'raining' on line 2/);
  assert.throws(() => readLandscapeLabels(join(dir, 'missing.csv')), /cannot read the labels CSV \(ENOENT\)/);
  assert.equal(normalizeLandscapeLabel(' Underwater_Bubbling '), 'underwater bubbling');
  assert.equal(normalizeLandscapeLabel('bubbles'), undefined);
  assert.equal(normalizeMaterial('Plastic Bag'), 'plastic-bag');
  assert.equal(listId(' some/dir/0516_5118.wav '), '0516_5118');
});

test('official split lists: any of train/val/test.txt; an id in two lists is an error', () => {
  const dir = tempDir('lists-');
  assert.equal(readSplitLists(dir), null);
  writeFileSync(join(dir, 'train.txt'), '0001\r\n0002_0000\r\n# note\r\n\r\n');
  writeFileSync(join(dir, 'test.txt'), '0003.wav\n');
  assert.deepEqual([...readSplitLists(dir)!].sort(), [['0001', 'train'], ['0002_0000', 'train'], ['0003', 'test']]);
  mkdirSync(join(dir, 'x'));
  writeFileSync(join(dir, 'x', 'train.txt'), 'a\n');
  writeFileSync(join(dir, 'x', 'val.txt'), 'b\na\n');
  assert.throws(() => readSplitLists(join(dir, 'x')), /val\.txt:2: 'a' is also listed in .*train\.txt:1/);
});

test('intensity: RMS dBFS mapped from [-60, 0] to [0, 1]', () => {
  const tone = (amp: number) => Float32Array.from({ length: 4410 }, (_, i) => amp * Math.sin(i * 0.3));
  assert.equal(clipIntensity(new Float32Array(100)), 0);
  assert.equal(clipIntensity(Float32Array.from({ length: 100 }, () => 1)), 1);
  const at = (amp: number) => (20 * Math.log10(amp / Math.SQRT2) + 60) / 60;
  assert.ok(Math.abs(clipIntensity(tone(0.5)) - at(0.5)) < 0.002);
  assert.ok(Math.abs(clipIntensity(tone(0.01)) - at(0.01)) < 0.002);
  assert.ok(clipIntensity(tone(0.5)) > clipIntensity(tone(0.05)));
});
