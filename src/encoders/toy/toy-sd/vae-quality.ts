// Evidence that the toy-SD autoencoder keeps what tells the classes apart: held-out images next to their
// reconstructions, and the colour-centroid classifier (fit on real reference images) on both.
import { dirname } from 'node:path';
import { mkdirSync } from 'node:fs';
import { contactSheet } from '../../../data/media/contact-sheet.js';
import { readPng, writePng } from '../../../data/media/png.js';
import type { RgbImage } from '../../../data/media/image.js';
import type { ResolvedManifestRow } from '../../../data/sonictoy/manifest.js';
import type { AutoencoderKL } from '../../../sonic/vae/autoencoder-kl.js';
import { ColourCentroidClassifier, classKey, reconstructionCheck } from './quality.js';

export interface VaeQualityResult {
  path: string;
  heldOutImages: number;
  /** Colour-centroid accuracy on the held-out real images (the classifier's ceiling) and on their reconstructions. */
  realAccuracy: number;
  reconstructedAccuracy: number;
  chance: number;
}

/**
 * Reconstructs the `heldOutSplit` rows, scores them with a colour-centroid classifier fit on the
 * `referenceSplit`, and writes a sheet to `path`: per class, pairs (real | reconstruction) of `perClass` images.
 */
export function toyVaeQuality(
  vae: AutoencoderKL,
  rows: readonly ResolvedManifestRow[],
  path: string,
  options: { referenceSplit?: string; heldOutSplit?: string; perClass?: number; scale?: number } = {},
): VaeQualityResult {
  const referenceSplit = options.referenceSplit ?? 'train';
  const heldOutSplit = options.heldOutSplit ?? 'val';
  const reference = rows.filter((r) => r.split === referenceSplit);
  const heldOut = rows.filter((r) => r.split === heldOutSplit);
  if (reference.length === 0) throw new Error(`toyVaeQuality: no rows in the reference split '${referenceSplit}'`);
  if (heldOut.length === 0) throw new Error(`toyVaeQuality: no rows in the held-out split '${heldOutSplit}'`);
  const classifier = ColourCentroidClassifier.fit(reference.map((r) => ({ key: classKey(r), image: readPng(r.imagePath) as RgbImage })));
  const { keys, real, rebuilt, realAccuracy, reconstructedAccuracy } = reconstructionCheck(vae, classifier, heldOut);
  const perClass = options.perClass ?? 2;
  const sheet: RgbImage<Float32Array>[][] = [];
  for (const key of [...new Set(keys)]) {
    const idx = keys.flatMap((k, i) => (k === key ? [i] : [])).slice(0, perClass);
    sheet.push(idx.flatMap((i) => [real[i]!, rebuilt[i]!]));
  }
  mkdirSync(dirname(path), { recursive: true });
  writePng(path, contactSheet(sheet, { scale: options.scale ?? 2 }));
  return {
    path,
    heldOutImages: heldOut.length,
    realAccuracy,
    reconstructedAccuracy,
    chance: 1 / classifier.classes.length,
  };
}
