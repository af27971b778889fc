import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/temp-dir.js';
import {
  ManifestError, MANIFEST_COLUMNS, manifestMediaPath, manifestText, readManifestFile, writeManifestFile, type ManifestEntry, type ManifestPolicy,
} from '../../src/data/manifest/index.js';
import { readManifest } from '../../src/data/sonictoy/manifest.js';
import { readIngestManifest } from '../../src/data/ingest/manifest.js';
import { readDataset } from '../../src/stages/common/dataset.js';

const HEADER = MANIFEST_COLUMNS.join(',');
const entries: ManifestPolicy<ManifestEntry> = { toRow: (e) => e };

function manifestWith(text: string): string {
  const dir = tempDir('manifest-');
  const path = join(dir, 'manifest.csv');
  writeFileSync(path, text);
  return path;
}

test('manifest: quoted commas, quotes and newlines, CRLF, byte-order mark, any column order, extra columns', () => {
  const path = manifestWith(
    '\ufeffsource,image,audio,split,intensity,caption,label,domain,id\r\n'
    + 'gh,b/x1.png,a/x1.wav,train,0.5,"wood, struck ""twice""",wood,hits,x1\r\n'
    + 'gh,b/x2.png,a/x2.wav,val,0,"two\r\nlines",metal,hits,x2\r\n'
    + 'gh,b/x3.png,a/x3.wav,test,1,,metal,hits,x3\r\n',
  );
  const rows = readManifestFile(path, entries);
  assert.deepEqual(rows.map((r) => r.id), ['x1', 'x2', 'x3']);
  assert.equal(rows[0]!.caption, 'wood, struck "twice"');
  assert.equal(rows[1]!.caption, 'two\r\nlines');
  assert.deepEqual(rows.map((r) => r.split), ['train', 'val', 'test']);
  assert.deepEqual(rows.map((r) => r.intensity), [0.5, 0, 1]);
  assert.equal(rows[2]!.imagePath, join(path, '..', 'b', 'x3.png'));
  // A quoted newline does not shift later line numbers: x3 starts on line 5.
  writeFileSync(path, readFileSync(path, 'utf8').replace(',test,1,', ',test,2,'));
  assert.throws(() => readManifestFile(path, entries), /manifest\.csv:5: field 'intensity' is '2', expected a number in \[0, 1\]/);
});

test('manifest: media paths resolve against the manifest directory unless absolute', () => {
  const elsewhere = tempDir('manifest-media-');
  const path = manifestWith(`${HEADER}\nx1,hits,wood,,audio/x1.wav,${join(elsewhere, 'x1.png')},train,0.5\nx2,hits,wood,,../up/x2.wav,./x2.png,train,0.5\n`);
  const dir = join(path, '..');
  const [x1, x2] = readManifestFile(path, entries);
  assert.equal(x1!.audio, 'audio/x1.wav', 'the path as written is kept');
  assert.equal(x1!.audioPath, join(dir, 'audio', 'x1.wav'));
  assert.equal(x1!.imagePath, join(elsewhere, 'x1.png'));
  assert.equal(x2!.audioPath, join(dir, '..', 'up', 'x2.wav'));
  assert.equal(x2!.imagePath, join(dir, 'x2.png'));
});

test('manifest: every shared check names the file, line and field', () => {
  const good = 'x1,hits,wood,c,a.wav,b.png,train,0.5';
  const cases: Array<[string, RegExp]> = [
    ['x2,hits,wood,c,a.wav,b.png,dev,0.5', /manifest\.csv:3: field 'split' is 'dev', expected train, val or test/],
    ['x2,hits,wood,c,a.wav,b.png,,0.5', /manifest\.csv:3: field 'split' is empty/],
    ['x2,hits,wood,c,a.wav,b.png,train,-0.1', /manifest\.csv:3: field 'intensity' is '-0\.1', expected a number in \[0, 1\]/],
    ['x2,hits,wood,c,a.wav,b.png,train,loud', /manifest\.csv:3: field 'intensity' is 'loud', expected a number in \[0, 1\]/],
    ['x2,hits,wood,c,a.wav,b.png,train,', /manifest\.csv:3: field 'intensity' is '', expected a number in \[0, 1\]/],
    ['x2,hits,wood,c,a.wav,,train,0.5', /manifest\.csv:3: field 'image' is empty/],
    [',hits,wood,c,a.wav,b.png,train,0.5', /manifest\.csv:3: field 'id' is empty/],
    ['x2,,wood,c,a.wav,b.png,train,0.5', /manifest\.csv:3: field 'domain' is empty/],
    ['x1,hits,wood,c,a.wav,b.png,train,0.5', /manifest\.csv:3: field 'id' repeats 'x1' \(first on line 2\)/],
    ['x2,hits,wood,c,a.wav,b.png,train,0.5,extra', /manifest\.csv:3: expected 8 fields, found 9/],
    ['x2,hits,wood,"c"d,a.wav,b.png,train,0.5', /manifest\.csv:3: unexpected character 'd' after a closing quote/],
  ];
  for (const [line, pattern] of cases) {
    const path = manifestWith(`${HEADER}\n${good}\n${line}\n`);
    assert.throws(() => readManifestFile(path, entries), (e: unknown) => e instanceof ManifestError && pattern.test(e.message), line);
  }
  assert.throws(() => readManifestFile(manifestWith(''), entries), /manifest\.csv: empty manifest \(expected a header line id,domain,/);
  assert.throws(() => readManifestFile(join(tempDir('manifest-none-'), 'manifest.csv'), entries), /manifest\.csv: cannot read manifest \(ENOENT\)/);
});

test('manifest: a policy picks the error class, header hint, domain and label rules and the empty-intensity default', () => {
  class MyError extends ManifestError {}
  const path = manifestWith(`${HEADER},source\nx1,hits,wood,,a.wav,b.png,train,,gh\nx2,hits,,,a.wav,b.png,train,0.25,gh\n`);
  const rows = readManifestFile(path, { defaultIntensity: 0.5, toRow: (e, cells) => ({ id: e.id, intensity: e.intensity, source: cells.get('source'), group: cells.get('group') }) });
  assert.deepEqual(rows, [{ id: 'x1', intensity: 0.5, source: 'gh', group: '' }, { id: 'x2', intensity: 0.25, source: 'gh', group: '' }]);
  const strict: ManifestPolicy<ManifestEntry> = {
    error: MyError,
    expectedHeader: [...MANIFEST_COLUMNS, 'source'],
    defaultIntensity: 0.5,
    checkDomainAndLabel(_domain, label, cells) {
      if (label === '') cells.fail(`field 'label' is empty`);
    },
    toRow: (e) => e,
  };
  assert.throws(() => readManifestFile(path, strict), (e: unknown) => e instanceof MyError && /manifest\.csv:3: field 'label' is empty/.test(e.message));
  writeFileSync(path, 'id,domain\n');
  assert.throws(() => readManifestFile(path, strict), (e: unknown) => e instanceof MyError && /:1: header lacks column 'label' \(expected id,domain,label,caption,audio,image,split,intensity,source\)/.test(e.message));
});

test('manifest: the three readers read one valid manifest alike, with or without the optional source column', () => {
  for (const [header, source, expectedSource] of [[HEADER, '', 'landscape'], [`${HEADER},source`, ',into-the-wild', 'into-the-wild'], [`${HEADER},source`, ',', 'landscape']] as const) {
    const path = manifestWith(`${header}\r\nlandscape_raining_train_000,landscape,raining,"rain, on leaves",hits/a.wav,/abs/b.png,train,0.75${source}\r\n`);
    const [toy] = readManifest(path);
    const [ingest] = readIngestManifest(path);
    const [dataset] = readDataset(join(path, '..'));
    for (const r of [toy!, ingest!, dataset!]) {
      assert.equal(r.id, 'landscape_raining_train_000');
      assert.equal(r.caption, 'rain, on leaves');
      assert.equal(r.intensity, 0.75);
      assert.equal(r.audioPath, join(path, '..', 'hits', 'a.wav'));
      assert.equal(r.imagePath, '/abs/b.png');
    }
    assert.equal(ingest!.source, expectedSource, header + source);
  }
});

test('manifest writer: columns in the given order, csv quoting, atomic replace, round trip', () => {
  const dir = tempDir('manifest-write-');
  const path = join(dir, 'sub', 'manifest.csv');
  const rows = [['x1', 'hits', 'wood', 'a, "quoted"\ncaption', 'a/x1.wav', 'b/x1.png', 'train', 0.5], ['x2', 'voices', 'sad', '', 'a/x2.wav', 'b/x2.png', 'test', 1]] as const;
  writeManifestFile(path, MANIFEST_COLUMNS, rows);
  const text = readFileSync(path, 'utf8');
  assert.equal(text, manifestText(MANIFEST_COLUMNS, rows));
  assert.equal(text.split('\n')[0], HEADER);
  assert.ok(text.includes('"a, ""quoted""\ncaption"'), text);
  writeManifestFile(path, MANIFEST_COLUMNS, rows.slice(1));
  assert.deepEqual(readdirSync(join(dir, 'sub')), ['manifest.csv'], 'no temporary file is left behind');
  writeManifestFile(path, MANIFEST_COLUMNS, rows);
  const back = readManifestFile(path, entries);
  assert.deepEqual(back.map((r) => [r.id, r.domain, r.label, r.caption, r.audio, r.image, r.split, r.intensity]), rows);
});

test('manifestMediaPath: relative inside the directory, absolute outside it', () => {
  assert.equal(manifestMediaPath('/data/out', '/data/out/audio/x.wav'), 'audio/x.wav');
  assert.equal(manifestMediaPath('/data/out', '/data/other/x.wav'), '/data/other/x.wav');
  assert.equal(manifestMediaPath('/data/out', '/data/out-2/x.wav'), '/data/out-2/x.wav');
});
