import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/temp-dir.js';
import { generateSonicToy } from '../../../src/data/sonictoy/index.js';
import { FfmpegMissingError, requireFfmpeg } from '../../../src/data/media/ffmpeg.js';
import { ingestManifestCsv, IngestManifestError, INGEST_MANIFEST_COLUMNS, readIngestManifest, type IngestManifestRow } from '../../../src/data/ingest/manifest.js';
import { IngestError } from '../../../src/data/ingest/errors.js';
import { ingestStages, stages } from '../../../src/stages/ingest/index.js';
import { fakeContext } from './helpers.js';

const row = (over: Partial<IngestManifestRow> = {}): IngestManifestRow => ({
  id: 'landscape_0001_0000', domain: 'landscape', label: 'raining', caption: '', audio: 'audio/a.wav', image: 'images/a.png', split: 'train', intensity: 0.5,
  source: 'landscape', origin: 'landscape/videos/0001.mp4', start: 0, duration: 10, group: 'landscape/0001', ...over,
});

test('ingest manifest: round trip, unlabeled Landscape rows, provenance columns', () => {
  const dir = tempDir('imanifest-');
  const path = join(dir, 'manifest.csv');
  const rows = [row(), row({ id: 'itw_x_0000', label: '', source: 'into-the-wild', caption: 'a path, "quoted"' }), row({ id: 'gh_a_000', domain: 'hits', label: 'plastic-bag', source: 'greatest-hits', start: 12.5 })];
  writeFileSync(path, ingestManifestCsv(rows));
  const back = readIngestManifest(path);
  assert.deepEqual(back.map(({ audioPath: _a, imagePath: _i, ...r }) => r), rows);
  assert.equal(back[0]!.audioPath, join(dir, 'audio', 'a.wav'));
  assert.equal(readIngestManifest(path).length, 3);
  assert.deepEqual(INGEST_MANIFEST_COLUMNS.slice(0, 8), ['id', 'domain', 'label', 'caption', 'audio', 'image', 'split', 'intensity']);
});

test('ingest manifest: errors name the line and field', () => {
  const dir = tempDir('imanifest-bad-');
  const cases: Array<[IngestManifestRow, RegExp]> = [
    [row({ id: 'b', domain: 'hits', label: 'lava' }), /:3: field 'label' is 'lava', not a hits class/],
    [row({ id: 'b', domain: 'voices', label: '' }), /:3: field 'label' is '', not a voices class/],
    [row({ id: 'b', split: 'dev' as 'train' }), /:3: field 'split' is 'dev'/],
    [row({ id: 'b', intensity: 1.5 }), /:3: field 'intensity' is '1.5', expected a number in \[0, 1\]/],
    [row({ id: 'b', source: 'youtube' as 'landscape' }), /:3: field 'source' is 'youtube'/],
    [row({ id: 'landscape_0001_0000' }), /:3: field 'id' repeats 'landscape_0001_0000' \(first on line 2\)/],
  ];
  for (const [bad, message] of cases) {
    const path = join(dir, 'm.csv');
    writeFileSync(path, ingestManifestCsv([row(), bad]));
    assert.throws(() => readIngestManifest(path), (e: unknown) => e instanceof IngestManifestError && message.test(e.message), String(message));
  }
  const path = join(dir, 'h.csv');
  writeFileSync(path, 'id,domain,label\n');
  assert.throws(() => readIngestManifest(path), /:1: header lacks column 'caption'/);
});

test('ingest manifest reader also reads SonicToy manifests (same columns, labels within the paper sets)', async () => {
  const out = tempDir('imanifest-toy-');
  const toy = await generateSonicToy({ outDir: out, perClass: { train: 1, val: 0, test: 1 }, clipSeconds: 0.2, imageSize: 8 });
  const rows = readIngestManifest(toy.manifestPath);
  assert.equal(rows.length, toy.total);
  assert.deepEqual(new Set(rows.map((r) => r.source)), new Set(['landscape', 'greatest-hits', 'ravdess']));
  assert.ok(rows.every((r) => r.group === r.id && r.start === 0));
});

test('ingest stages: catalog, defaults, strict params, root resolution', async () => {
  assert.deepEqual(ingestStages.map((s) => s.name), ['ingest-landscape', 'ingest-greatest-hits', 'ingest-ravdess', 'ingest-fixtures']);
  assert.equal(stages, ingestStages);
  for (const s of ingestStages.slice(0, 3)) {
    const p = s.params.parse({ root: '/data/x' });
    assert.equal(p.frameSize, 512, s.name);
    assert.equal(p.sampleRate, 44100, s.name);
    assert.deepEqual(p.split, { train: 0.8, val: 0.1, test: 0.1 }, s.name);
    assert.equal(p.seed, 0, s.name);
    assert.equal(p.maxItems, undefined, s.name);
    assert.deepEqual(Object.keys(s.outputs), ['dataset'], s.name);
    assert.equal(s.inputs.root?.optional, true, s.name);
    assert.equal(s.params.safeParse({ root: '/x', frameSze: 64 }).success, false, `${s.name}: typo rejected`);
    assert.equal(s.params.safeParse({ root: '/x', split: { train: 0, val: 0, test: 0 } }).success, false, `${s.name}: zero split rejected`);
  }
  const landscape = ingestStages[0]!.params.parse({});
  assert.equal(landscape.windowSeconds, 10);
  assert.deepEqual(landscape.sources, ['landscape', 'into-the-wild']);
  assert.equal(ingestStages[0]!.params.safeParse({ sources: ['youtube'] }).success, false);
  const ctx = fakeContext(landscape, {}, { dataset: tempDir('stage-') }, tempDir('stage-work-'));
  await assert.rejects(ingestStages[0]!.run(ctx), (e: unknown) => e instanceof IngestError && /ingest-landscape: set 'root'/.test(e.message));
});

test('a missing ffmpeg is a clear error naming SONIC_FFMPEG and the apt command', async () => {
  await assert.rejects(requireFfmpeg({ SONIC_FFMPEG: '/nonexistent/bin/ffmpeg' }), (e: unknown) =>
    e instanceof FfmpegMissingError && e.message.includes("tried '/nonexistent/bin/ffmpeg'") && e.message.includes('SONIC_FFMPEG') &&
    e.message.includes('apt-get install -y --no-install-recommends ffmpeg'));
});
