// Landscape + Into the Wild: every video is cut into back-to-back windows (10 s by default); each window
// gives one pair: its audio and the frame at its middle. Landscape labels come from a labels CSV; Into the
// Wild is unlabeled.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { probeMemo } from './probe-memo.js';
import { IngestError } from './errors.js';
import { readLandscapeLabels, readSplitLists } from './landscape-lists.js';
import { LANDSCAPE_LAYOUT } from './layouts.js';
import type { SkippedEntry } from './report.js';
import { INGEST_DEFAULTS, mapLimit, phaseProgress, mediaReason, prepareIngest, runIngest, type IngestCommonOptions, type IngestResult, type PlannedPair } from './run-ingest.js';
import { isDirectory, isVideoFile, listFiles, safeName } from './walk.js';

export const LANDSCAPE_SOURCES = ['landscape', 'into-the-wild'] as const;
type LandscapeSource = (typeof LANDSCAPE_SOURCES)[number];

export interface LandscapeIngestOptions extends IngestCommonOptions {
  /** Default 10. */
  windowSeconds?: number;
  /** Which sub-datasets to read. Default both (each only if its videos/ folder exists). */
  sources?: readonly LandscapeSource[];
  /** Default <root>/landscape/labels.csv when present. */
  labelsCsv?: string;
  /** Folder with train.txt / val.txt / test.txt; default <root>/landscape/splits when present. */
  splitListsDir?: string;
}

const ID_PREFIX: Record<LandscapeSource, string> = { landscape: 'landscape', 'into-the-wild': 'itw' };

/** `<video-id>_<window#, 4 digits>`: the name labels CSVs and split lists use for one clip. */
export function landscapeClipId(videoId: string, window: number): string {
  return `${videoId}_${String(window).padStart(4, '0')}`;
}

export async function ingestLandscape(options: LandscapeIngestOptions): Promise<IngestResult> {
  await prepareIngest('landscape', options, LANDSCAPE_LAYOUT);
  const W = options.windowSeconds ?? INGEST_DEFAULTS.windowSeconds;
  if (!(Number.isFinite(W) && W > 0 && W <= 600)) throw new IngestError(`landscape: 'windowSeconds' must be a number in (0, 600], got ${W}`);
  const root = options.root;
  const wanted = options.sources ?? LANDSCAPE_SOURCES;
  for (const s of wanted) if (!(LANDSCAPE_SOURCES as readonly string[]).includes(s)) throw new IngestError(`landscape: unknown source '${s}' in 'sources'; expected ${LANDSCAPE_SOURCES.join(', ')}`);
  const present = wanted.filter((s) => isDirectory(join(root, s, 'videos')));
  if (present.length === 0) {
    throw new IngestError(`landscape: no ${wanted.map((s) => `${s}/videos/`).join(' or ')} folder under '${root}'. Expected layout:\n${LANDSCAPE_LAYOUT}`);
  }
  const notes: string[] = [];
  for (const s of wanted) if (!present.includes(s)) notes.push(`${s}/videos/ not found: ${s} left out`);

  const labelsPath = options.labelsCsv ?? join(root, 'landscape', 'labels.csv');
  if (options.labelsCsv && !existsSync(options.labelsCsv)) throw new IngestError(`landscape: labels CSV '${options.labelsCsv}' does not exist`);
  const labels = existsSync(labelsPath) ? readLandscapeLabels(labelsPath) : new Map<string, string>();
  if (!existsSync(labelsPath) && present.includes('landscape')) notes.push(`no labels CSV at ${labelsPath}: Landscape pairs are unlabeled`);
  const listsDir = options.splitListsDir ?? join(root, 'landscape', 'splits');
  if (options.splitListsDir && !isDirectory(options.splitListsDir)) throw new IngestError(`landscape: split lists folder '${options.splitListsDir}' does not exist`);
  const official = isDirectory(listsDir) ? readSplitLists(listsDir) : null;

  const videos = present.flatMap((source) => listFiles(join(root, source, 'videos'), isVideoFile).map((rel) => ({ source, rel: `${source}/videos/${rel}`, name: rel })));
  const skipped: SkippedEntry[] = [];
  const filtered: Record<string, number> = {};
  const usedLabels = new Set<string>();
  const perVideo = await mapLimit(videos, options.concurrency ?? INGEST_DEFAULTS.concurrency, async ({ source, rel, name }) => {
    const path = join(root, rel);
    let info;
    try {
      info = await probeMemo(path, options.signal);
    } catch (e) {
      skipped.push({ file: rel, reason: mediaReason(e) });
      return [];
    }
    if (!info.video || !info.audio) {
      skipped.push({ file: rel, reason: info.video ? 'no audio stream' : 'no video stream' });
      return [];
    }
    const length = Math.min(info.video.durationSeconds || info.durationSeconds, info.audio.durationSeconds || info.durationSeconds);
    const windows = Math.floor(length / W + 1e-6);
    if (windows === 0) {
      filtered[`shorter than one ${W} s window`] = (filtered[`shorter than one ${W} s window`] ?? 0) + 1;
      return [];
    }
    const videoId = safeName(name.replace(/\.[^.]*$/, '').replace(/\//g, '-'));
    const pairs: PlannedPair[] = [];
    for (let k = 0; k < windows; k++) {
      const clipId = landscapeClipId(videoId, k);
      let label = '';
      if (source === 'landscape') {
        const byClip = labels.get(clipId);
        const byVideo = labels.get(videoId);
        label = byClip ?? byVideo ?? '';
        if (byClip) usedLabels.add(clipId);
        if (byVideo) usedLabels.add(videoId);
      }
      const group = `${source}/${videoId}`;
      pairs.push({
        id: `${ID_PREFIX[source]}_${clipId}`, source, label, group, origin: rel,
        videoPath: path, audioPath: path, start: k * W, duration: W, frameTime: k * W + W / 2,
        listKeys: [`${ID_PREFIX[source]}_${clipId}`, clipId, videoId, group],
      });
    }
    return pairs;
  }, phaseProgress(options, videos.length, 'probe'));
  const unused = [...labels.keys()].filter((id) => !usedLabels.has(id));
  if (unused.length > 0) notes.push(`${unused.length} labels CSV ids match no clip or video (e.g. ${unused.slice(0, 5).join(', ')})`);
  return runIngest({
    dataset: 'landscape', pairs: perVideo.flat(), skipped, filtered, notes, ...(official ? { official } : {}),
    options: { windowSeconds: W, sources: present, labelsCsv: existsSync(labelsPath) ? labelsPath : null, splitLists: official ? listsDir : null },
  }, options);
}
