import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/temp-dir.js';
import { makeFixtureDatasets } from '../../../src/data/ingest/fixtures.js';
import { IngestError } from '../../../src/data/ingest/errors.js';
import { ingestGreatestHits } from '../../../src/data/ingest/greatest-hits.js';
import { readIngestManifest } from '../../../src/data/ingest/manifest.js';
import { readWav } from '../../../src/data/media/wav.js';
import { ingestFixturesStage, ingestGreatestHitsStage } from '../../../src/stages/ingest/index.js';
import { checkMedia, checkSplits, fakeContext, mediaMtimes } from './helpers.js';
import { ffmpegSkipReason, toneHz } from './ffmpeg-gate.js';

const skip = await ffmpegSkipReason();
const fractions = { train: 0.8, val: 0.1, test: 0.1 };

test('Greatest Hits ingest on the fixtures', { skip }, async (t) => {
  const work = tempDir('ingest-gh-');
  const fx = await makeFixtureDatasets(join(work, 'fixtures'), ['greatest-hits']);
  const outDir = join(work, 'out');
  const options = { root: fx.greatestHits, outDir, frameSize: 48, splitFractions: fractions };
  const first = await ingestGreatestHits(options);

  await t.test('single-material windows with material labels', () => {
    const rows = readIngestManifest(first.manifestPath);
    assert.deepEqual(rows.map((r) => [r.id, r.label, r.start, r.domain, r.source]), [
      ['gh_2015-02-16-16-49-06_000', 'wood', 0.5, 'hits', 'greatest-hits'],
      ['gh_2015-02-16-16-49-06_001', 'metal', 12.5, 'hits', 'greatest-hits'],
      ['gh_2015-02-16-16-52-51_000', 'leaf', 11.7, 'hits', 'greatest-hits'],
    ]);
    assert.equal(rows[0]!.origin, 'vis-data/2015-02-16-16-49-06_denoised.mp4');
    checkMedia(rows, { sampleRate: 44100, frameSize: 48, samples: 441000 });
    assert.ok(Math.abs(toneHz(readWav(rows[1]!.audioPath).samples, 44100) - 400) < 3);
    assert.ok(Math.abs(toneHz(readWav(rows[2]!.audioPath).samples, 44100) - 900) < 3);
    checkSplits(rows, fractions);
  });

  await t.test('corrupt video, missing video and bad annotation are reported; unannotated video is counted', () => {
    const r = first.report;
    assert.deepEqual(r.skipped.map((s) => s.file), [
      'vis-data/2015-03-01-10-00-00_denoised.mp4', 'vis-data/2015-03-02-10-00-00_times.txt', 'vis-data/2015-03-03-10-00-00_times.txt',
    ]);
    assert.match(r.skipped[0]!.reason, /moov atom not found|Invalid data/);
    assert.match(r.skipped[1]!.reason, /no video next to it \(expected 2015-03-02-10-00-00_denoised\.mp4/);
    assert.match(r.skipped[2]!.reason, /_times\.txt:3: time 'abc' is not a number/);
    assert.deepEqual(r.filtered, { 'video without a _times.txt annotation file': 1 });
    assert.match(readFileSync(join(outDir, 'ingest-report.md'), 'utf8'), /2015-03-01-10-00-00_denoised\.mp4/);
  });

  await t.test('rerun is idempotent; the stage reports metrics', async () => {
    const before = mediaMtimes(outDir);
    const again = await ingestGreatestHits(options);
    assert.equal(again.report.extracted, 0);
    assert.equal(again.report.reused, 3);
    assert.deepEqual(mediaMtimes(outDir), before);
    // resumeDir: extract into the persistent directory, publish into the fresh stage output.
    const params = ingestGreatestHitsStage.params.parse({ root: fx.greatestHits, frameSize: 48, split: fractions, resumeDir: outDir });
    assert.equal(params.windowSeconds, 10);
    assert.equal(params.minHits, 2);
    writeFileSync(join(outDir, 'audio', 'leftover.wav'), 'not part of the manifest');
    const stageOut = join(work, 'stage-out');
    const ctx = fakeContext(params, {}, { dataset: stageOut }, work);
    await ingestGreatestHitsStage.run(ctx);
    assert.equal(ctx.metrics.get('pairs'), 3);
    assert.equal(ctx.metrics.get('skipped'), 3);
    assert.equal(ctx.metrics.get('extracted'), 0);
    assert.deepEqual(readdirSync(stageOut).sort(), ['audio', 'images', 'ingest-report.json', 'ingest-report.md', 'manifest.csv']);
    assert.equal(readdirSync(join(stageOut, 'audio')).length, 3, 'only the manifest media are published');
    const published = readIngestManifest(join(stageOut, 'manifest.csv'));
    checkMedia(published, { sampleRate: 44100, frameSize: 48, samples: 441000 });
  });

  await t.test('fixtures: a complete root is not rendered again; the ingest-fixtures stage feeds an ingest stage', async () => {
    const video = join(fx.greatestHits, 'vis-data', '2015-02-16-16-49-06_denoised.mp4');
    const before = statSync(video).mtimeMs;
    await makeFixtureDatasets(join(work, 'fixtures'), ['greatest-hits']);
    assert.equal(statSync(video).mtimeMs, before);
    const fixturesOut = join(work, 'stage-fixtures');
    const fctx = fakeContext(ingestFixturesStage.params.parse({ datasets: ['greatest-hits'] }), {}, { datasets: fixturesOut }, work);
    await ingestFixturesStage.run(fctx);
    assert.deepEqual(readFileSync(join(fixturesOut, 'greatest-hits', 'vis-data', '2015-02-16-16-49-06_times.txt')), readFileSync(join(fx.greatestHits, 'vis-data', '2015-02-16-16-49-06_times.txt')));
    assert.deepEqual(readFileSync(join(fixturesOut, 'greatest-hits', 'vis-data', '2015-02-16-16-49-06_denoised.mp4')), readFileSync(video), 'fixture rendering is byte-for-byte deterministic');
    const params = ingestGreatestHitsStage.params.parse({ root: 'greatest-hits', frameSize: 48, split: fractions, resumeDir: outDir });
    const ctx = fakeContext(params, { root: fixturesOut }, { dataset: join(work, 'stage-out-2') }, work);
    await ingestGreatestHitsStage.run(ctx);
    assert.equal(ctx.metrics.get('pairs'), 3);
  });

  await t.test('missing root and a root without annotations are clear errors', async () => {
    await assert.rejects(ingestGreatestHits({ ...options, root: join(work, 'nope') }), (e: unknown) =>
      e instanceof IngestError && /greatest-hits: dataset root .* does not exist/.test(e.message) && e.message.includes('<name>_times.txt'));
    mkdirSync(join(work, 'empty', 'vis-data'), { recursive: true });
    writeFileSync(join(work, 'empty', 'vis-data', 'a_denoised.mp4'), '');
    await assert.rejects(ingestGreatestHits({ ...options, root: join(work, 'empty') }), /no \*_times\.txt annotation files under .*Expected layout/s);
  });
});
