// Tiny fake dataset roots laid out exactly like the real ones, rendered with ffmpeg's lavfi test sources
// (testsrc2 / smptebars video, sine-tone audio): used by the ingest tests and the paper pipeline's
// fixture profile. Each root also holds broken inputs (a truncated video, bad names or annotations) that
// the ingest must report and skip. Generation is skipped when the marker file of this version exists.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { requireFfmpeg, runFfmpeg } from '../media/ffmpeg.js';
import { mapLimit } from './run-ingest.js';

/** Bumped whenever the fixture content changes. */
export const FIXTURE_VERSION = 1;
const MARKER = 'fixture.json';

export interface FixtureDatasets {
  /** Landscape + Into the Wild root (LANDSCAPE_LAYOUT). */
  landscape: string;
  /** Greatest Hits root; the files sit in its vis-data/ folder (GREATEST_HITS_LAYOUT). */
  greatestHits: string;
  /** RAVDESS root with Actor_01/ and Actor_02/ (RAVDESS_LAYOUT). */
  ravdess: string;
}

export type FixtureDatasetName = 'landscape' | 'greatest-hits' | 'ravdess';

interface Clip {
  path: string;
  seconds: number;
  /** Sine frequency; undefined = no audio stream. */
  hz: number | undefined;
  pattern: 'testsrc2' | 'smptebars';
  size: string;
}

const bitexact = ['-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact', '-map_metadata', '-1', '-threads', '1'];

async function renderClip(c: Clip): Promise<void> {
  await mkdir(dirname(c.path), { recursive: true });
  const tmp = join(dirname(c.path), `.${c.path.replace(/^.*[\\/]/, '')}.partial`);
  const args = ['-y', '-f', 'lavfi', '-i', `${c.pattern}=size=${c.size}:rate=5:duration=${c.seconds}`];
  if (c.hz !== undefined) args.push('-f', 'lavfi', '-i', `sine=frequency=${c.hz}:sample_rate=22050:duration=${c.seconds}`);
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p');
  args.push(...(c.hz !== undefined ? ['-c:a', 'aac', '-b:a', '48k', '-shortest'] : ['-an']));
  args.push(...bitexact, '-f', 'mp4', tmp);
  await runFfmpeg(args);
  await rename(tmp, c.path);
}

async function renderWav(path: string, seconds: number, hz: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${path.replace(/^.*[\\/]/, '')}.partial`);
  await runFfmpeg(['-y', '-f', 'lavfi', '-i', `sine=frequency=${hz}:sample_rate=48000:duration=${seconds}`, '-c:a', 'pcm_s16le', ...bitexact, '-f', 'wav', tmp]);
  await rename(tmp, path);
}

/** The first bytes of a valid video: an mp4 whose index (moov) is missing. */
async function truncatedCopy(from: string, to: string): Promise<void> {
  const bytes = await readFile(from);
  await mkdir(dirname(to), { recursive: true });
  await writeFile(to, bytes.subarray(0, Math.min(3000, bytes.length >> 2)));
}

const crlf = (lines: string[]) => lines.map((l) => `${l}\r\n`).join('');

// ---- Landscape + Into the Wild ----
const LANDSCAPE_VIDEOS: Array<[id: string, seconds: number, hz: number]> = [
  ['0001', 21, 220], ['0002', 21, 330], ['0003', 21, 440], ['0004', 21, 550], ['0005', 21, 660], ['0006', 21, 770], ['0007', 12, 880], ['0008', 12, 990],
];

async function landscapeFixture(root: string): Promise<void> {
  const clips: Clip[] = LANDSCAPE_VIDEOS.map(([id, seconds, hz], i) => ({ path: join(root, 'landscape', 'videos', `${id}.mp4`), seconds, hz, pattern: i % 2 ? 'smptebars' : 'testsrc2', size: '96x64' }));
  clips.push({ path: join(root, 'landscape', 'videos', '0010.mp4'), seconds: 12, hz: undefined, pattern: 'testsrc2', size: '96x64' });
  clips.push({ path: join(root, 'into-the-wild', 'videos', 'hike-a.mp4'), seconds: 21, hz: 300, pattern: 'smptebars', size: '64x96' });
  clips.push({ path: join(root, 'into-the-wild', 'videos', 'hike-b.mp4'), seconds: 11, hz: 600, pattern: 'testsrc2', size: '64x96' });
  await mapLimit(clips, 2, renderClip);
  await truncatedCopy(clips[0]!.path, join(root, 'landscape', 'videos', '0009.mp4'));
  await writeFile(join(root, 'landscape', 'labels.csv'), crlf([
    'id,label', '0001,fire crackling', '0002,raining', '0003,wind noise', '0004,Fire_Crackling', '0005,raining', '0006,wind noise', '0007_0000,Thunder', '0099,explosion',
  ]));
}

// ---- Greatest Hits ----
const range = (from: number, to: number, step: number) => Array.from({ length: Math.floor((to - from) / step + 1e-9) + 1 }, (_, i) => Math.round((from + i * step) * 1000) / 1000);

async function greatestHitsFixture(root: string): Promise<void> {
  const dir = join(root, 'vis-data');
  const a = '2015-02-16-16-49-06';
  const b = '2015-02-16-16-52-51';
  const corrupt = '2015-03-01-10-00-00';
  const noVideo = '2015-03-02-10-00-00';
  const badNotes = '2015-03-03-10-00-00';
  const noNotes = '2015-03-04-10-00-00';
  await mapLimit<Clip, void>([
    { path: join(dir, `${a}_denoised.mp4`), seconds: 25, hz: 400, pattern: 'testsrc2', size: '96x64' },
    { path: join(dir, `${b}_denoised.mp4`), seconds: 24, hz: 900, pattern: 'smptebars', size: '96x64' },
    { path: join(dir, `${badNotes}_denoised.mp4`), seconds: 6, hz: 700, pattern: 'testsrc2', size: '96x64' },
  ], 2, renderClip);
  await truncatedCopy(join(dir, `${a}_denoised.mp4`), join(dir, `${corrupt}_denoised.mp4`));
  await copyFile(join(dir, `${badNotes}_denoised.mp4`), join(dir, `${noNotes}_denoised.mp4`));
  const line = (t: number, m: string, action = 'hit', reaction = 'static') => `${t.toFixed(3)} ${m} ${action} ${reaction}`;
  // a: wood 1.0–11.5 (one unannotated event and one scratch inside), then metal 13.0–24.0 → one wood and one metal window.
  const aLines = ['time material action reaction', ...range(1, 11.5, 0.7).map((t, i) => line(t, 'wood', i === 3 ? 'scratch' : 'hit')), line(6.05, 'None', 'None', 'None'), ...range(13, 24, 0.9).map((t) => line(t, 'metal'))];
  // b: rock and glass alternate every second (no window), then leaf 12.2–23.4 → one leaf window.
  const bLines = [...range(0.5, 11.5, 1).map((t, i) => line(t, i % 2 ? 'glass' : 'rock')), ...range(12.2, 23.4, 0.8).map((t) => line(t, 'leaf', 'hit', 'rigid-motion'))];
  await writeFile(join(dir, `${a}_times.txt`), `${aLines.join('\n')}\n`);
  await writeFile(join(dir, `${b}_times.txt`), `${bLines.join('\n')}\n`);
  await writeFile(join(dir, `${corrupt}_times.txt`), `${range(1, 20, 1).map((t) => line(t, 'wood')).join('\n')}\n`);
  await writeFile(join(dir, `${noVideo}_times.txt`), `${range(1, 20, 1).map((t) => line(t, 'tile')).join('\n')}\n`);
  await writeFile(join(dir, `${badNotes}_times.txt`), `${line(1, 'wood')}\n${line(2, 'wood')}\nabc wood hit static\n`);
}

// ---- RAVDESS ----
/** [file name, seconds, sine Hz | undefined for video-only] */
const RAVDESS_VIDEOS: Array<[string, number | undefined]> = [
  ['Actor_01/01-02-01-01-01-01-01.mp4', 310], ['Actor_01/01-02-02-01-01-01-01.mp4', 320], ['Actor_01/01-02-03-02-01-01-01.mp4', 330],
  ['Actor_01/01-02-04-01-02-01-01.mp4', 340], ['Actor_01/01-02-05-01-01-02-01.mp4', 350], ['Actor_01/01-02-06-01-01-01-01.mp4', 360],
  ['Actor_01/02-02-03-02-01-01-01.mp4', undefined],
  ['Actor_02/01-02-01-01-01-01-02.mp4', 410], ['Actor_02/01-02-02-01-01-01-02.mp4', 420], ['Actor_02/01-02-03-01-01-01-02.mp4', 430],
  ['Actor_02/01-02-04-01-01-01-02.mp4', 440], ['Actor_02/01-02-05-01-01-01-02.mp4', 450], ['Actor_02/01-02-06-01-01-01-02.mp4', 460],
  ['Actor_02/02-02-03-01-02-02-02.mp4', undefined], ['Actor_02/02-02-04-02-02-02-02.mp4', undefined],
];

async function ravdessFixture(root: string): Promise<void> {
  await mapLimit(RAVDESS_VIDEOS, 2, ([name, hz], i) => renderClip({ path: join(root, name), seconds: 4, hz, pattern: i % 2 ? 'smptebars' : 'testsrc2', size: '96x54' }));
  await renderWav(join(root, 'Actor_02', '03-02-03-01-02-02-02.wav'), 4.2, 470);
  const anyClip = join(root, RAVDESS_VIDEOS[0]![0]);
  await copyFile(anyClip, join(root, 'Actor_01', '01-01-03-01-01-01-01.mp4')); // speech
  await copyFile(anyClip, join(root, 'Actor_02', '01-01-07-01-01-01-02.mp4')); // speech
  await copyFile(anyClip, join(root, 'Actor_01', '01-02-07-01-01-01-01.mp4')); // song has no disgust: bad name
  await copyFile(anyClip, join(root, 'Actor_02', '01-02-03-01-01-01.mp4')); // six fields: bad name
  await truncatedCopy(anyClip, join(root, 'Actor_02', '01-02-05-02-02-02-02.mp4'));
  await writeFile(join(root, 'Actor_02', 'README.txt'), 'not media\n');
}

const BUILDERS: Record<FixtureDatasetName, { dir: string; build: (root: string) => Promise<void> }> = {
  landscape: { dir: 'landscape', build: landscapeFixture },
  'greatest-hits': { dir: 'greatest-hits', build: greatestHitsFixture },
  ravdess: { dir: 'ravdess', build: ravdessFixture },
};

/**
 * Create (or find, when already complete) the fixture dataset roots under `dir`. `only` limits which are
 * built; the returned paths of the others are still given but may not exist.
 */
export async function makeFixtureDatasets(dir: string, only?: readonly FixtureDatasetName[]): Promise<FixtureDatasets> {
  await requireFfmpeg();
  const wanted = only ?? (Object.keys(BUILDERS) as FixtureDatasetName[]);
  for (const name of wanted) {
    const { dir: sub, build } = BUILDERS[name];
    const root = join(dir, sub);
    const marker = join(root, MARKER);
    if (existsSync(marker) && JSON.parse(await readFile(marker, 'utf8')).version === FIXTURE_VERSION) continue;
    await rm(root, { recursive: true, force: true });
    await mkdir(root, { recursive: true });
    await build(root);
    await writeFile(marker, `${JSON.stringify({ fixture: name, version: FIXTURE_VERSION })}\n`);
  }
  return { landscape: join(dir, 'landscape'), greatestHits: join(dir, 'greatest-hits'), ravdess: join(dir, 'ravdess') };
}
