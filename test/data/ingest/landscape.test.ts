import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/temp-dir.js';
import { makeFixtureDatasets } from '../../../src/data/ingest/fixtures.js';
import { IngestError } from '../../../src/data/ingest/errors.js';
import { ingestLandscape } from '../../../src/data/ingest/landscape.js';
import { readIngestManifest } from '../../../src/data/ingest/manifest.js';
import { readWav } from '../../../src/data/media/wav.js';
import { ingestLandscapeStage } from '../../../src/stages/ingest/index.js';
import { checkMedia, checkSplits, fakeContext, mediaMtimes } from './helpers.js';
import { ffmpegSkipReason, toneHz } from './ffmpeg-gate.js';

const skip = await ffmpegSkipReason();
const fractions = { train: 0.5, val: 0.25, test: 0.25 };

test('Landscape + Into the Wild ingest on the fixtures', { skip }, async (t) => {
  const work = tempDir('ingest-landscape-');
  const fx = await makeFixtureDatasets(join(work, 'fixtures'), ['landscape']);
  const outDir = join(work, 'out');
  const options = { root: fx.landscape, outDir, frameSize: 64, splitFractions: fractions, seed: 3 };
  const first = await ingestLandscape(options);
  const manifestBytes = readFileSync(first.manifestPath);

  await t.test('pairs, labels, windows, media', () => {
    const r = first.report;
    assert.equal(r.pairs, 17);
    assert.equal(r.extracted, 17);
    assert.equal(r.reused, 0);
    const rows = readIngestManifest(first.manifestPath);
    const byId = new Map(rows.map((x) => [x.id, x]));
    const ids = [...byId.keys()].sort();
    const expected = [
      ...['0001', '0002', '0003', '0004', '0005', '0006'].flatMap((v) => [`landscape_${v}_0000`, `landscape_${v}_0001`]),
      'landscape_0007_0000', 'landscape_0008_0000', 'itw_hike-a_0000', 'itw_hike-a_0001', 'itw_hike-b_0000',
    ].sort();
    assert.deepEqual(ids, expected);
    const label = (id: string) => byId.get(id)!.label;
    assert.equal(label('landscape_0001_0001'), 'fire crackling');
    assert.equal(label('landscape_0004_0000'), 'fire crackling', 'Fire_Crackling normalised');
    assert.equal(label('landscape_0003_0000'), 'wind noise');
    assert.equal(label('landscape_0007_0000'), 'thunder', 'clip-level label row');
    assert.equal(label('landscape_0008_0000'), '', 'no label row');
    assert.equal(label('itw_hike-a_0001'), '', 'Into the Wild is unlabeled');
    assert.deepEqual(r.labels, { '': 4, 'fire crackling': 4, raining: 4, 'wind noise': 4, thunder: 1 });
    const second = byId.get('landscape_0002_0001')!;
    assert.deepEqual([second.domain, second.source, second.origin, second.start, second.duration, second.group], ['landscape', 'landscape', 'landscape/videos/0002.mp4', 10, 10, 'landscape/0002']);
    assert.equal(byId.get('itw_hike-b_0000')!.source, 'into-the-wild');
    checkMedia(rows, { sampleRate: 44100, frameSize: 64, samples: 441000 });
    const hz = toneHz(readWav(byId.get('landscape_0001_0001')!.audioPath).samples, 44100);
    assert.ok(Math.abs(hz - 220) < 3, `second window of 0001 carries its 220 Hz tone (${hz.toFixed(1)} Hz)`);
    assert.ok(Math.abs(toneHz(readWav(byId.get('itw_hike-a_0000')!.audioPath).samples, 44100) - 300) < 3);
    checkSplits(rows, fractions);
    assert.ok(r.notes.some((n) => n.includes('0099')), 'an unused label row is noted');
  });

  await t.test('the corrupt and the silent video are reported and skipped', () => {
    const skipped = first.report.skipped;
    assert.deepEqual(skipped.map((s) => s.file), ['landscape/videos/0009.mp4', 'landscape/videos/0010.mp4']);
    assert.match(skipped[0]!.reason, /moov atom not found|Invalid data/);
    assert.equal(skipped[1]!.reason, 'no audio stream');
    const json = JSON.parse(readFileSync(join(outDir, 'ingest-report.json'), 'utf8'));
    assert.equal(json.skipped.length, 2);
    const md = readFileSync(join(outDir, 'ingest-report.md'), 'utf8');
    assert.match(md, /# Ingest report: landscape/);
    assert.match(md, /`landscape\/videos\/0009\.mp4`/);
  });

  await t.test('a rerun re-extracts nothing and writes the same manifest', async () => {
    const before = mediaMtimes(outDir);
    const again = await ingestLandscape(options);
    assert.equal(again.report.extracted, 0);
    assert.equal(again.report.reused, 17);
    assert.deepEqual(mediaMtimes(outDir), before);
    assert.deepEqual(readFileSync(again.manifestPath), manifestBytes);
  });

  await t.test('resume: a missing image and a truncated WAV are redone, nothing else', async () => {
    rmSync(join(outDir, 'images', 'landscape_0005_0000.png'));
    const wav = join(outDir, 'audio', 'itw_hike-a_0001.wav');
    writeFileSync(wav, readFileSync(wav).subarray(0, 5000));
    const before = mediaMtimes(outDir);
    const again = await ingestLandscape(options);
    assert.equal(again.report.extracted, 2);
    const after = mediaMtimes(outDir);
    const changed = [...after].filter(([f, m]) => before.get(f) !== m).map(([f]) => f).sort();
    assert.deepEqual(changed, ['audio/itw_hike-a_0001.wav', 'images/landscape_0005_0000.png']);
    assert.deepEqual(readFileSync(again.manifestPath), manifestBytes);
  });

  await t.test('official split lists and maxItems', async () => {
    const lists = join(work, 'lists');
    mkdirSync(lists);
    writeFileSync(join(lists, 'train.txt'), '0001\r\n');
    writeFileSync(join(lists, 'test.txt'), 'landscape_0002_0001\nhike-a\n');
    const listed = await ingestLandscape({ ...options, splitListsDir: lists });
    const split = new Map(listed.rows.map((r) => [r.id, r.split]));
    assert.equal(split.get('landscape_0001_0000'), 'train');
    assert.equal(split.get('landscape_0001_0001'), 'train');
    assert.equal(split.get('landscape_0002_0001'), 'test');
    assert.equal(split.get('itw_hike-a_0000'), 'test');
    assert.equal(listed.report.officialSplit, 5);
    assert.equal(listed.report.extracted, 0);
    const limited = await ingestLandscape({ ...options, maxItems: 5 });
    assert.equal(limited.report.pairs, 5);
    assert.equal(limited.report.limitedOut, 12);
    const again = await ingestLandscape({ ...options, maxItems: 5 });
    assert.deepEqual(again.rows.map((r) => r.id), limited.rows.map((r) => r.id), 'the same seeded choice');
  });

  await t.test('the stage: params, root input, metrics, logs', async () => {
    const params = ingestLandscapeStage.params.parse({ root: 'landscape', frameSize: 64, split: fractions, seed: 3 });
    const ctx = fakeContext(params, { root: join(work, 'fixtures') }, { dataset: outDir }, work);
    await ingestLandscapeStage.run(ctx);
    assert.equal(ctx.metrics.get('pairs'), 17);
    assert.equal(ctx.metrics.get('skipped'), 2);
    assert.equal(ctx.metrics.get('reused'), 17);
    assert.ok(ctx.progress.calls > 0);
    assert.ok(ctx.logs.some((l) => l.startsWith('skipped landscape/videos/0009.mp4')));
    assert.deepEqual(readFileSync(join(outDir, 'manifest.csv')), manifestBytes);
  });

  await t.test('a missing or empty root is a clear error showing the expected layout', async () => {
    await assert.rejects(ingestLandscape({ ...options, root: join(work, 'nope') }), (e: unknown) =>
      e instanceof IngestError && /landscape: dataset root '.*nope' does not exist/.test(e.message) && e.message.includes('Expected layout:') && e.message.includes('into-the-wild/') && e.message.includes('labels.csv'));
    mkdirSync(join(work, 'empty'));
    await assert.rejects(ingestLandscape({ ...options, root: join(work, 'empty') }), /no landscape\/videos\/ or into-the-wild\/videos\/ folder/);
  });
});
