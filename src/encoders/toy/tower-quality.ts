// The quality report shared by the contrastive media–text towers (toy-CLIP images, toy-CLAP audio):
// media→caption top-1 on the val split and zero-shot label accuracy per domain on the test split.
import { sonicToyClasses } from '../../data/sonictoy/classes.js';
import type { SonicToyDomain } from '../../data/sonictoy/toy-class.js';
import { retrievalTop1, round4, uniqueIndex, zeroShotByDomain, type ZeroShotResult } from './quality.js';
import { splitRows, type ToyRow } from './toy-rows.js';

export interface TowerQuality {
  valTop1: number; // NaN when the val split is empty
  valCaptionCandidates: number;
  zeroShotAccuracy: Record<string, number>;
  zeroShotChance: Record<string, number>;
  temperature: number;
}

export async function towerQuality(
  rows: readonly ToyRow[],
  embedMedia: (rows: ToyRow[]) => Promise<Float32Array[]>,
  embedText: (texts: string[]) => Promise<Float32Array[]>,
  logScale: number,
): Promise<TowerQuality> {
  const val = splitRows(rows, 'val');
  const test = splitRows(rows, 'test');
  let top1 = NaN;
  let candidates = 0;
  if (val.length > 0) {
    const { unique, index } = uniqueIndex(val.map((r) => r.caption));
    candidates = unique.length;
    top1 = retrievalTop1(await embedMedia(val), await embedText(unique), index);
  }
  let zs: ZeroShotResult = { accuracy: {}, chance: {}, count: {} };
  if (test.length > 0) zs = await zeroShotByDomain(test, await embedMedia(test), (d) => sonicToyClasses(d as SonicToyDomain), embedText);
  return {
    valTop1: round4(top1),
    valCaptionCandidates: candidates,
    zeroShotAccuracy: Object.fromEntries(Object.entries(zs.accuracy).map(([k, v]) => [k, round4(v)])),
    zeroShotChance: Object.fromEntries(Object.entries(zs.chance).map(([k, v]) => [k, round4(v)])),
    temperature: round4(Math.exp(-logScale)),
  };
}
