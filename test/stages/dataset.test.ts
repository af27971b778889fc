import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/temp-dir.js';
import { ManifestError } from '../../src/data/manifest/index.js';
import { readDataset, writeDataset } from '../../src/stages/common/dataset.js';

const HEADER = 'id,domain,label,caption,audio,image,split,intensity';

test('readDataset: free domains and labels, an empty intensity reads as 0.5, CRLF and extra columns', () => {
  const dir = tempDir('dataset-');
  writeFileSync(join(dir, 'manifest.csv'), `${HEADER},group\r\nx1,birdsong,,,x1.wav,x1.png,train,,g1\r\nx2,birdsong,robin,"a robin, singing",x2.wav,x2.png,val,0.2,g1\r\n`);
  const rows = readDataset(dir);
  assert.deepEqual(rows, [
    { id: 'x1', domain: 'birdsong', label: '', caption: '', split: 'train', intensity: 0.5, audioPath: join(dir, 'x1.wav'), imagePath: join(dir, 'x1.png') },
    { id: 'x2', domain: 'birdsong', label: 'robin', caption: 'a robin, singing', split: 'val', intensity: 0.2, audioPath: join(dir, 'x2.wav'), imagePath: join(dir, 'x2.png') },
  ]);
});

test('readDataset: rejects what the SonicToy and ingest readers reject, naming line and field', () => {
  const dir = tempDir('dataset-bad-');
  const good = 'x1,hits,wood,,x1.wav,x1.png,train,0.5';
  const cases: Array<[string, RegExp]> = [
    ['x1,hits,wood,,x2.wav,x2.png,train,0.5', /manifest\.csv:3: field 'id' repeats 'x1' \(first on line 2\)/],
    ['x2,hits,wood,,x2.wav,x2.png,train,7', /manifest\.csv:3: field 'intensity' is '7', expected a number in \[0, 1\]/],
    ['x2,hits,wood,,x2.wav,x2.png,train,abc', /manifest\.csv:3: field 'intensity' is 'abc', expected a number in \[0, 1\]/],
    ['x2,hits,wood,,x2.wav,x2.png,train', /manifest\.csv:3: expected 8 fields, found 7/],
    ['x2,hits,wood,,,x2.png,train,0.5', /manifest\.csv:3: field 'audio' is empty/],
  ];
  for (const [line, pattern] of cases) {
    writeFileSync(join(dir, 'manifest.csv'), `${HEADER}\n${good}\n${line}\n`);
    assert.throws(() => readDataset(dir), (e: unknown) => e instanceof ManifestError && pattern.test(e.message), line);
  }
});

test('writeDataset: the core columns in order, relative media inside, atomic replace', () => {
  const dir = tempDir('dataset-write-');
  mkdirSync(join(dir, 'audio'));
  const row = { id: 'x1', domain: 'hits', label: 'wood', caption: 'say "hi", twice', split: 'test' as const, intensity: 0.125, audioPath: join(dir, 'audio', 'x1.wav'), imagePath: '/elsewhere/x1.png' };
  writeDataset(dir, [row]);
  writeDataset(dir, [row]);
  assert.equal(readFileSync(join(dir, 'manifest.csv'), 'utf8'), `${HEADER}\nx1,hits,wood,"say ""hi"", twice",audio/x1.wav,/elsewhere/x1.png,test,0.125\n`);
  assert.deepEqual(readdirSync(dir).sort(), ['audio', 'manifest.csv']);
  assert.deepEqual(readDataset(dir), [row]);
});
