// ffprobe results remembered for the life of the process, keyed by path, size and mtime, so a rerun in the
// same process (tests, a pipeline re-running a stage with other params) does not probe every video again.
import { stat } from 'node:fs/promises';
import { probeMedia, type MediaInfo } from '../media/ffmpeg.js';

const memo = new Map<string, MediaInfo>();

export async function probeMemo(path: string, signal?: AbortSignal): Promise<MediaInfo> {
  const s = await stat(path);
  const key = `${path}\0${s.size}\0${s.mtimeMs}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const info = await probeMedia(path, signal);
  memo.set(key, info);
  return info;
}
