// Greatest Hits hit annotations and the "same material hit consecutively" windows.
//
// Assumed format (the vis-data release's `<video>_times.txt`): one event per line, whitespace separated,
// `time material action reaction`, e.g. `12.345 wood hit static`; time in seconds from the video start.
// `None` (any case) marks an unannotated field. Blank lines and lines starting with '#' are ignored;
// a header line whose first field is not a number (e.g. `time material action reaction`) is allowed
// as the first line only.
import { normalizeMaterial } from './labels.js';

export interface HitEvent {
  time: number;
  /** A GREATEST_HITS_MATERIALS entry, or undefined when the annotation says None or names no known material. */
  material: string | undefined;
  action: string;
  reaction: string;
  line: number;
}

export interface ParsedTimes {
  events: HitEvent[];
  /** Material strings that are not among the 17 (events kept with material undefined). */
  unknownMaterials: string[];
}

export class AnnotationError extends Error {}

export function parseTimesFile(text: string, name: string): ParsedTimes {
  const events: HitEvent[] = [];
  const unknown = new Set<string>();
  let sawContent = false;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/[\s,]+/);
    const time = Number(fields[0]);
    const first = !sawContent;
    sawContent = true;
    if (!Number.isFinite(time)) {
      if (first) return; // a header line
      throw new AnnotationError(`${name}:${i + 1}: time '${fields[0]}' is not a number (expected 'time material action reaction')`);
    }
    if (time < 0) throw new AnnotationError(`${name}:${i + 1}: negative time ${time}`);
    if (fields.length < 2) throw new AnnotationError(`${name}:${i + 1}: expected 'time material action reaction', found only a time`);
    const rawMaterial = fields[1]!;
    let material: string | undefined;
    if (rawMaterial.toLowerCase() !== 'none') {
      material = normalizeMaterial(rawMaterial);
      if (!material) unknown.add(rawMaterial);
    }
    events.push({ time, material, action: (fields[2] ?? 'None').toLowerCase(), reaction: (fields[3] ?? 'None').toLowerCase(), line: i + 1 });
  });
  events.sort((a, b) => a.time - b.time || a.line - b.line);
  return { events, unknownMaterials: [...unknown].sort() };
}

export interface MaterialWindowOptions {
  windowSeconds: number;
  /** Media length available (seconds). */
  durationSeconds: number;
  /** Fewest events of the material inside a window. Default 2. */
  minHits?: number;
  /** Seconds of lead-in before a stretch's first hit. Default 0.5. */
  leadSeconds?: number;
}

export interface MaterialWindow {
  material: string;
  start: number;
  /** Time of the hit nearest the window center: where the frame is taken. */
  frameTime: number;
  hits: number;
}

/**
 * Stretches of consecutive events on one material (events with no material are ignored) cut into
 * back-to-back windows that contain no event of another material: the first window starts `leadSeconds`
 * before the stretch's first hit (but after the previous other-material event), later windows follow
 * directly, every window must fit before the next other-material event and the media end, and hold at
 * least `minHits` events.
 */
export function materialWindows(events: readonly HitEvent[], options: MaterialWindowOptions): MaterialWindow[] {
  const W = options.windowSeconds;
  const minHits = options.minHits ?? 2;
  const lead = options.leadSeconds ?? 0.5;
  const guard = 0.05;
  const known = events.filter((e) => e.material !== undefined);
  const out: MaterialWindow[] = [];
  let i = 0;
  while (i < known.length) {
    let j = i;
    while (j + 1 < known.length && known[j + 1]!.material === known[i]!.material) j++;
    const material = known[i]!.material!;
    const prevOther = i > 0 ? known[i - 1]!.time : -Infinity;
    const nextOther = j + 1 < known.length ? known[j + 1]!.time : Infinity;
    const limit = Math.min(nextOther, options.durationSeconds);
    const times = known.slice(i, j + 1).map((e) => e.time);
    let start = Math.max(0, times[0]! - lead, prevOther + guard);
    while (start <= times[times.length - 1]! && start + W <= limit + 1e-9) {
      const inside = times.filter((t) => t >= start && t < start + W);
      if (inside.length < minHits) break;
      const center = start + W / 2;
      const frameTime = inside.reduce((best, t) => (Math.abs(t - center) < Math.abs(best - center) ? t : best), inside[0]!);
      out.push({ material, start: Math.round(start * 1000) / 1000, frameTime, hits: inside.length });
      start += W;
    }
    i = j + 1;
  }
  return out;
}
