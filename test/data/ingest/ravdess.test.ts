import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/temp-dir.js';
import { makeFixtureDatasets } from '../../../src/data/ingest/fixtures.js';
import { IngestError } from '../../../src/data/ingest/errors.js';
import { readIngestManifest } from '../../../src/data/ingest/manifest.js';
import { ingestRavdess } from '../../../src/data/ingest/ravdess.js';
import { readWav } from '../../../src/data/media/wav.js';
import { ingestRavdessStage } from '../../../src/stages/ingest/index.js';
import { checkMedia, checkSplits, fakeContext, mediaMtimes } from './helpers.js';
import { ffmpegSkipReason, toneHz } from './ffmpeg-gate.js';

const skip = await ffmpegSkipReason();
const fractions = { train: 0.5, val: 0.25, test: 0.25 };

test('RAVDESS ingest on the fixtures', { skip }, async (t) => {
  const work = tempDir('ingest-ravdess-');
  const fx = await makeFixtureDatasets(join(work, 'fixtures'), ['ravdess']);
  const outDir = join(work, 'out');
  const options = { root: fx.ravdess, outDir, frameSize: 32, splitFractions: fractions, seed: 5 };
  const first = await ingestRavdess(options);

  await t.test('song takes only, one pair each, emotion labels, whole-clip audio', () => {
    const rows = readIngestManifest(first.manifestPath);
    assert.equal(rows.length, 13);
    assert.deepEqual(first.report.labels, { neutral: 2, calm: 2, happy: 3, sad: 2, angry: 2, fearful: 2 });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const happyStrong = byId.get('ravdess_02-03-02-01-01-01')!;
    assert.deepEqual([happyStrong.label, happyStrong.origin, happyStrong.domain, happyStrong.source, happyStrong.start], ['happy', 'Actor_01/01-02-03-02-01-01-01.mp4', 'voices', 'ravdess', 0]);
    assert.ok(Math.abs(happyStrong.duration - 4) < 0.06, `whole 4 s clip (${happyStrong.duration})`);
    assert.ok(Math.abs(toneHz(readWav(happyStrong.audioPath).samples, 44100) - 330) < 3);
    const fromWav = byId.get('ravdess_02-03-01-02-02-02')!;
    assert.equal(fromWav.origin, 'Actor_02/02-02-03-01-02-02-02.mp4', 'frame from the video-only file');
    assert.ok(Math.abs(fromWav.duration - 4.2) < 0.01, 'audio from the audio-only 4.2 s WAV');
    assert.ok(Math.abs(toneHz(readWav(fromWav.audioPath).samples, 44100) - 470) < 3);
    checkMedia(rows, { sampleRate: 44100, frameSize: 32 });
    checkSplits(rows, fractions);
  });

  await t.test('speech and duplicates are filtered; bad names, corrupt and silent videos are reported', () => {
    const r = first.report;
    assert.deepEqual(r.filtered, { 'speech (vocal channel 01)': 2, 'video-only duplicate of a full-AV take': 1 });
    assert.deepEqual(r.skipped.map((s) => s.file), [
      'Actor_01/01-02-07-01-01-01-01.mp4', 'Actor_02/01-02-03-01-01-01.mp4', 'Actor_02/01-02-05-02-02-02-02.mp4', 'Actor_02/02-02-04-02-02-02-02.mp4',
    ]);
    assert.match(r.skipped[0]!.reason, /not a RAVDESS name: .*does not exist for song/);
    assert.match(r.skipped[1]!.reason, /found 6/);
    assert.match(r.skipped[2]!.reason, /moov atom not found|Invalid data/);
    assert.match(r.skipped[3]!.reason, /video-only take without audio/);
    assert.match(readFileSync(join(outDir, 'ingest-report.md'), 'utf8'), /speech \(vocal channel 01\) \| 2/);
  });

  await t.test('rerun is idempotent; the stage honours maxItems', async () => {
    const before = mediaMtimes(outDir);
    const again = await ingestRavdess(options);
    assert.equal(again.report.extracted, 0);
    assert.deepEqual(mediaMtimes(outDir), before);
    const params = ingestRavdessStage.params.parse({ root: fx.ravdess, frameSize: 32, split: fractions, seed: 5, maxItems: 4 });
    const ctx = fakeContext(params, {}, { dataset: outDir }, work);
    await ingestRavdessStage.run(ctx);
    assert.equal(ctx.metrics.get('pairs'), 4);
    assert.equal(ctx.metrics.get('extracted'), 0);
    assert.equal(readIngestManifest(join(outDir, 'manifest.csv')).length, 4);
  });

  await t.test('missing root names the expected layout', async () => {
    await assert.rejects(ingestRavdess({ ...options, root: join(work, 'nope') }), (e: unknown) =>
      e instanceof IngestError && e.message.includes('Actor_01/') && e.message.includes('MM-VV-EE-II-SS-RR-AA'));
  });
});
