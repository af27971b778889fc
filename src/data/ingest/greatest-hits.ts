// Greatest Hits: from each video's hit annotations keep the stretches where one material is hit
// consecutively, cut them into windows (10 s by default), and take each window's audio plus the frame at
// the hit nearest its middle. The label is the material.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { probeMemo } from './probe-memo.js';
import { AnnotationError, materialWindows, parseTimesFile } from './greatest-hits-annotations.js';
import { IngestError } from './errors.js';
import { GREATEST_HITS_LAYOUT } from './layouts.js';
import type { SkippedEntry } from './report.js';
import { INGEST_DEFAULTS, mapLimit, phaseProgress, mediaReason, prepareIngest, runIngest, type IngestCommonOptions, type IngestResult, type PlannedPair } from './run-ingest.js';
import { isDirectory, isVideoFile, listFiles, safeName } from './walk.js';

export interface GreatestHitsIngestOptions extends IngestCommonOptions {
  /** Default 10. */
  windowSeconds?: number;
  /** Fewest hits of the material inside a window. Default 2. */
  minHits?: number;
  /** Lead-in before a stretch's first hit, seconds. Default 0.5. */
  leadSeconds?: number;
}

const TIMES_SUFFIX = '_times.txt';
const VIDEO_SUFFIXES = ['_denoised.mp4', '_mic.mp4', '.mp4'];

/** The folder holding the *_times.txt files: the root itself, or its vis-data/ child. */
function annotationDir(root: string): string {
  const has = (dir: string) => readdirSync(dir).some((f) => f.endsWith(TIMES_SUFFIX));
  if (has(root)) return root;
  const child = join(root, 'vis-data');
  if (isDirectory(child) && has(child)) return child;
  throw new IngestError(`greatest-hits: no *${TIMES_SUFFIX} annotation files under '${root}'. Expected layout:\n${GREATEST_HITS_LAYOUT}`);
}

export async function ingestGreatestHits(options: GreatestHitsIngestOptions): Promise<IngestResult> {
  await prepareIngest('greatest-hits', options, GREATEST_HITS_LAYOUT);
  const W = options.windowSeconds ?? INGEST_DEFAULTS.windowSeconds;
  if (!(Number.isFinite(W) && W > 0 && W <= 600)) throw new IngestError(`greatest-hits: 'windowSeconds' must be a number in (0, 600], got ${W}`);
  const minHits = options.minHits ?? 2;
  if (!Number.isInteger(minHits) || minHits < 1) throw new IngestError(`greatest-hits: 'minHits' must be a positive integer, got ${minHits}`);
  const leadSeconds = options.leadSeconds ?? 0.5;
  if (!(Number.isFinite(leadSeconds) && leadSeconds >= 0)) throw new IngestError(`greatest-hits: 'leadSeconds' must be a number ≥ 0, got ${leadSeconds}`);
  const dir = annotationDir(options.root);
  const prefix = dir === options.root ? '' : 'vis-data/';
  const files = listFiles(dir);
  const fileSet = new Set(files);
  const timesFiles = files.filter((f) => f.endsWith(TIMES_SUFFIX));
  const skipped: SkippedEntry[] = [];
  const filtered: Record<string, number> = {};
  const bump = (k: string) => (filtered[k] = (filtered[k] ?? 0) + 1);
  const unknownMaterials = new Set<string>();
  const annotatedVideos = new Set<string>();
  let noStretch = 0;

  const perVideo = await mapLimit(timesFiles, options.concurrency ?? INGEST_DEFAULTS.concurrency, async (timesRel) => {
    const stem = timesRel.slice(0, -TIMES_SUFFIX.length);
    const videoRel = VIDEO_SUFFIXES.map((s) => stem + s).find((v) => fileSet.has(v));
    if (!videoRel) {
      skipped.push({ file: prefix + timesRel, reason: `no video next to it (expected ${VIDEO_SUFFIXES.map((s) => stem.replace(/^.*\//, '') + s).join(', ')})` });
      return [];
    }
    annotatedVideos.add(videoRel);
    let parsed;
    try {
      parsed = parseTimesFile(readFileSync(join(dir, timesRel), 'utf8'), prefix + timesRel);
    } catch (e) {
      if (e instanceof AnnotationError) {
        skipped.push({ file: prefix + timesRel, reason: e.message });
        return [];
      }
      throw e;
    }
    for (const m of parsed.unknownMaterials) unknownMaterials.add(m);
    const videoPath = join(dir, videoRel);
    let info;
    try {
      info = await probeMemo(videoPath, options.signal);
    } catch (e) {
      skipped.push({ file: prefix + videoRel, reason: mediaReason(e) });
      return [];
    }
    if (!info.video || !info.audio) {
      skipped.push({ file: prefix + videoRel, reason: info.video ? 'no audio stream' : 'no video stream' });
      return [];
    }
    const length = Math.min(info.video.durationSeconds || info.durationSeconds, info.audio.durationSeconds || info.durationSeconds);
    const windows = materialWindows(parsed.events, { windowSeconds: W, durationSeconds: length, minHits, leadSeconds });
    if (windows.length === 0) noStretch += 1;
    const name = safeName(stem.replace(/\//g, '-'));
    return windows.map((w, k): PlannedPair => ({
      id: `gh_${name}_${String(k).padStart(3, '0')}`, source: 'greatest-hits', label: w.material, group: `greatest-hits/${name}`,
      origin: prefix + videoRel, videoPath, audioPath: videoPath, start: w.start, duration: W, frameTime: w.frameTime,
    }));
  }, phaseProgress(options, timesFiles.length, 'probe'));
  for (const f of files) if (isVideoFile(f) && !annotatedVideos.has(f) && VIDEO_SUFFIXES.some((s) => f.endsWith(s))) bump('video without a _times.txt annotation file');
  const notes: string[] = [];
  if (noStretch > 0) notes.push(`${noStretch} annotated video(s) have no single-material stretch that fills a ${W} s window with ≥ ${minHits} hits`);
  if (unknownMaterials.size > 0) notes.push(`material names outside the 17 were ignored: ${[...unknownMaterials].join(', ')}`);
  return runIngest({ dataset: 'greatest-hits', pairs: perVideo.flat(), skipped, filtered, notes, options: { windowSeconds: W, minHits, leadSeconds } }, options);
}
