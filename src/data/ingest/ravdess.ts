// RAVDESS song takes: one pair per take, the frame at the middle of the video and the whole clip's audio,
// labelled with the emotion. Full-AV files (01-02-…mp4) give both; a take with only a video-only file
// (02-02-…mp4, silent) takes its audio from the audio-only file (03-02-…wav) when present. Speech files
// are filtered out; names that do not parse are reported.
import { join } from 'node:path';
import { probeMemo } from './probe-memo.js';
import { RAVDESS_LAYOUT } from './layouts.js';
import { parseRavdessName, type RavdessName } from './ravdess-name.js';
import type { SkippedEntry } from './report.js';
import { INGEST_DEFAULTS, mapLimit, phaseProgress, mediaReason, prepareIngest, runIngest, type IngestCommonOptions, type IngestResult, type PlannedPair } from './run-ingest.js';
import { listFiles } from './walk.js';

export type RavdessIngestOptions = IngestCommonOptions;

interface Take {
  name: RavdessName;
  video?: string;
  videoOnly?: string;
  audioOnly?: string;
}

export async function ingestRavdess(options: RavdessIngestOptions): Promise<IngestResult> {
  await prepareIngest('ravdess', options, RAVDESS_LAYOUT);
  const root = options.root;
  const files = listFiles(root, (rel) => /\.(mp4|wav)$/i.test(rel));
  const skipped: SkippedEntry[] = [];
  const filtered: Record<string, number> = {};
  const bump = (k: string) => (filtered[k] = (filtered[k] ?? 0) + 1);
  const takes = new Map<string, Take>();
  for (const rel of files) {
    const parsed = parseRavdessName(rel);
    if (!parsed.ok) {
      skipped.push({ file: rel, reason: `not a RAVDESS name: ${parsed.reason}` });
      continue;
    }
    const n = parsed.name;
    if (n.vocalChannel === 'speech') {
      bump('speech (vocal channel 01)');
      continue;
    }
    const isWav = rel.toLowerCase().endsWith('.wav');
    if ((n.modality === 'audio-only') !== isWav) {
      skipped.push({ file: rel, reason: `modality ${n.modality} does not match the file type (${isWav ? '.wav' : '.mp4'})` });
      continue;
    }
    const take = takes.get(n.take) ?? { name: n };
    const slot = n.modality === 'full-av' ? 'video' : n.modality === 'video-only' ? 'videoOnly' : 'audioOnly';
    if (take[slot]) {
      skipped.push({ file: rel, reason: `duplicate of ${take[slot]}` });
      continue;
    }
    take[slot] = rel;
    takes.set(n.take, take);
  }

  const chosen: Array<{ take: Take; video: string; audio: string }> = [];
  for (const take of [...takes.values()].sort((a, b) => (a.name.take < b.name.take ? -1 : 1))) {
    if (take.video) {
      chosen.push({ take, video: take.video, audio: take.video });
      if (take.videoOnly) bump('video-only duplicate of a full-AV take');
    } else if (take.videoOnly && take.audioOnly) {
      chosen.push({ take, video: take.videoOnly, audio: take.audioOnly });
    } else if (take.videoOnly) {
      skipped.push({ file: take.videoOnly, reason: `video-only take without audio: no 01-${take.name.take}.mp4 or 03-${take.name.take}.wav` });
    } else {
      bump('audio-only take without a video');
    }
  }

  const pairs = await mapLimit(chosen, options.concurrency ?? INGEST_DEFAULTS.concurrency, async ({ take, video, audio }): Promise<PlannedPair[]> => {
    const videoPath = join(root, video);
    let info;
    try {
      info = await probeMemo(videoPath, options.signal);
    } catch (e) {
      skipped.push({ file: video, reason: mediaReason(e) });
      return [];
    }
    if (!info.video || (audio === video && !info.audio)) {
      skipped.push({ file: video, reason: info.video ? 'no audio stream' : 'no video stream' });
      return [];
    }
    const n = take.name;
    const groupKey = `${n.vocalChannel}-${n.emotion}-${n.intensity}-${n.statement}-${String(n.actor).padStart(2, '0')}`;
    return [{
      id: `ravdess_${take.name.take}`, source: 'ravdess', label: n.emotion, group: `ravdess/${groupKey}`, origin: video,
      videoPath, audioPath: join(root, audio), start: 0, duration: undefined, frameTime: (info.video.durationSeconds || info.durationSeconds) / 2,
    }];
  }, phaseProgress(options, chosen.length, 'probe'));
  return runIngest({
    dataset: 'ravdess', pairs: pairs.flat(), skipped, filtered,
    notes: ['splits are grouped by actor+emotion+intensity+statement, so the two repetitions of a take share a split'],
    options: {},
  }, options);
}
