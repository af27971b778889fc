// Evidence that toy-SD follows its prompts: a contact sheet (generated images per class prompt beside real
// ones) and a number: generated images classified by the nearest class centroid of real images' colour
// histograms. SonicToy's classes differ clearly in colour, so this separates "follows the prompt" from
// "draws something plausible".
import * as tf from '@tensorflow/tfjs-core';
import { dirname } from 'node:path';
import { mkdirSync } from 'node:fs';
import { contactSheet } from '../../../data/media/contact-sheet.js';
import { readPng, writePng } from '../../../data/media/png.js';
import { toFloatImage, type RgbImage } from '../../../data/media/image.js';
import type { ResolvedManifestRow } from '../../../data/sonictoy/manifest.js';
import type { TextEncoder } from '../../interfaces.js';
import { loadImageBatch, tensorToImages } from './images.js';
import { sampleToySd, type ToySdSampleOptions, type ToySdSamplingModel } from './sample.js';
import { encodeTextTokens } from './train-unet.js';
import type { AutoencoderKL } from '../../../sonic/vae/autoencoder-kl.js';

export const HISTOGRAM_BINS = 4;

/** Joint RGB histogram with `bins`³ cells, normalised to sum 1. */
export function colourHistogram(image: RgbImage, bins = HISTOGRAM_BINS): Float32Array {
  const f = toFloatImage(image).data;
  const h = new Float32Array(bins ** 3);
  const pixels = f.length / 3;
  const cell = (v: number) => Math.min(bins - 1, Math.max(0, Math.floor(v * bins)));
  for (let i = 0; i < pixels; i++) h[(cell(f[i * 3]!) * bins + cell(f[i * 3 + 1]!)) * bins + cell(f[i * 3 + 2]!)]! += 1 / pixels;
  return h;
}

export function classKey(row: Pick<ResolvedManifestRow, 'domain' | 'label'>): string {
  return `${row.domain}/${row.label}`;
}

export class ColourCentroidClassifier {
  private constructor(readonly classes: string[], private readonly centroids: Float32Array[]) {}

  static fit(examples: ReadonlyArray<{ key: string; image: RgbImage }>): ColourCentroidClassifier {
    const sums = new Map<string, { sum: Float32Array; n: number }>();
    for (const { key, image } of examples) {
      const h = colourHistogram(image);
      const s = sums.get(key) ?? { sum: new Float32Array(h.length), n: 0 };
      h.forEach((v, i) => (s.sum[i]! += v));
      s.n++;
      sums.set(key, s);
    }
    if (sums.size === 0) throw new Error('ColourCentroidClassifier: no examples');
    const classes = [...sums.keys()];
    return new ColourCentroidClassifier(classes, classes.map((k) => sums.get(k)!.sum.map((v) => v / sums.get(k)!.n)));
  }

  /** The class whose centroid is nearest in L1 distance. */
  classify(image: RgbImage): string {
    const h = colourHistogram(image);
    let best = 0;
    let bestD = Infinity;
    this.centroids.forEach((c, k) => {
      let d = 0;
      for (let i = 0; i < h.length; i++) d += Math.abs(h[i]! - c[i]!);
      if (d < bestD) [best, bestD] = [k, d];
    });
    return this.classes[best]!;
  }

  accuracy(examples: ReadonlyArray<{ key: string; image: RgbImage }>): number {
    if (examples.length === 0) return NaN;
    return examples.filter((e) => this.classify(e.image) === e.key).length / examples.length;
  }
}

export interface ReconstructionCheck {
  /** Class key, real image and VAE reconstruction of each held-out row, in row order. */
  keys: string[];
  real: RgbImage<Float32Array>[];
  rebuilt: RgbImage<Float32Array>[];
  /** The classifier's accuracy on the real images (its ceiling) and on their reconstructions. */
  realAccuracy: number;
  reconstructedAccuracy: number;
}

/** Reconstructs `heldOut` through the VAE (posterior mean) and scores real and reconstructed images with `classifier`. */
export function reconstructionCheck(vae: AutoencoderKL, classifier: ColourCentroidClassifier, heldOut: readonly ResolvedManifestRow[]): ReconstructionCheck {
  const x = loadImageBatch(heldOut.map((r) => r.imagePath), vae.config.sampleSize);
  const recon = tf.tidy(() => vae.decode(vae.encode(x)));
  const real = tensorToImages(x);
  const rebuilt = tensorToImages(recon); // clipped to [0, 1]
  tf.dispose([x, recon]);
  const keys = heldOut.map(classKey);
  const score = (images: RgbImage[]) => classifier.accuracy(images.map((image, i) => ({ key: keys[i]!, image })));
  return { keys, real, rebuilt, realAccuracy: score(real), reconstructedAccuracy: score(rebuilt) };
}

/** One prompt per class present in `rows`: the class's most frequent caption (ties: alphabetical). */
export function classPrompts(rows: readonly ResolvedManifestRow[]): Array<{ key: string; prompt: string }> {
  const counts = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const m = counts.get(classKey(r)) ?? new Map<string, number>();
    m.set(r.caption, (m.get(r.caption) ?? 0) + 1);
    counts.set(classKey(r), m);
  }
  return [...counts].map(([key, m]) => {
    const [prompt] = [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]!;
    return { key, prompt };
  });
}

export interface SampleGridOptions extends Partial<Omit<ToySdSampleOptions, 'onStep'>> {
  /** Generated (and real) images per class. Default 4. */
  perClass?: number;
  /** Split whose real images fit the centroids (default 'train'); real images shown come from it too. */
  referenceSplit?: string;
  /** Split whose real images give the classifier's ceiling on real data (default 'val'; skipped if empty). */
  heldOutSplit?: string;
  /** Prompts per class key `domain/label`; default classPrompts(rows of the reference split). */
  prompts?: Array<{ key: string; prompt: string }>;
  /** Contact-sheet upscaling. Default 2. */
  scale?: number;
  onStep?: (done: number, total: number) => void;
}

export interface SampleGridResult {
  path: string;
  classes: number;
  perClass: number;
  prompts: Array<{ key: string; prompt: string }>;
  /** Fraction of generated images whose nearest real-class colour centroid is their prompt's class. */
  generatedAccuracy: number;
  /** The same classifier on held-out real images (its ceiling), null without held-out rows. */
  realHeldOutAccuracy: number | null;
  /** ... and on their VAE reconstructions (the ceiling the autoencoder leaves the UNet). */
  reconstructedHeldOutAccuracy: number | null;
  chance: number;
  perClassAccuracy: Record<string, number>;
  seconds: number;
}

/**
 * Samples `perClass` images per class prompt and writes a contact sheet to `path`: one row per class,
 * generated images, a blank tile, then real reference images. Returns the centroid-classifier numbers.
 */
export async function toySdSampleGrid(
  model: ToySdSamplingModel,
  textEncoder: TextEncoder,
  rows: readonly ResolvedManifestRow[],
  path: string,
  options: SampleGridOptions = {},
): Promise<SampleGridResult> {
  const started = performance.now();
  const perClass = options.perClass ?? 4;
  const reference = rows.filter((r) => r.split === (options.referenceSplit ?? 'train'));
  const heldOut = rows.filter((r) => r.split === (options.heldOutSplit ?? 'val'));
  if (reference.length === 0) throw new Error(`toySdSampleGrid: no rows in the reference split '${options.referenceSplit ?? 'train'}'`);
  const prompts = options.prompts ?? classPrompts(reference);
  const realImages = reference.map((r) => ({ key: classKey(r), image: readPng(r.imagePath) as RgbImage }));
  const classifier = ColourCentroidClassifier.fit(realImages);
  for (const p of prompts) if (!classifier.classes.includes(p.key)) throw new Error(`toySdSampleGrid: prompt class '${p.key}' has no real images in the reference split`);

  const texts = prompts.flatMap((p) => new Array<string>(perClass).fill(p.prompt));
  const tokens = await encodeTextTokens(textEncoder, texts);
  const nullTokens = await encodeTextTokens(textEncoder, ['']);
  let generated: RgbImage<Float32Array>[];
  try {
    const { perClass: _p, referenceSplit: _r, heldOutSplit: _h, prompts: _q, scale: _s, ...sampling } = options;
    generated = sampleToySd(model, tokens, nullTokens, sampling);
  } finally {
    tf.dispose([tokens, nullTokens]);
  }

  const labelled = generated.map((image, i) => ({ key: prompts[Math.floor(i / perClass)]!.key, image }));
  const perClassAccuracy: Record<string, number> = {};
  prompts.forEach((p, k) => (perClassAccuracy[p.key] = classifier.accuracy(labelled.slice(k * perClass, (k + 1) * perClass))));
  const blank: RgbImage = { width: generated[0]!.width, height: generated[0]!.height, data: new Float32Array(generated[0]!.data.length).fill(1) };
  const sheet = prompts.map((p, k) => [
    ...generated.slice(k * perClass, (k + 1) * perClass),
    blank,
    ...realImages.filter((r) => r.key === p.key).slice(0, perClass).map((r) => r.image),
  ]);
  const check = heldOut.length > 0 ? reconstructionCheck(model.vae, classifier, heldOut) : null;
  mkdirSync(dirname(path), { recursive: true });
  writePng(path, contactSheet(sheet, { scale: options.scale ?? 2 }));
  return {
    path,
    classes: prompts.length,
    perClass,
    prompts,
    generatedAccuracy: classifier.accuracy(labelled),
    realHeldOutAccuracy: check?.realAccuracy ?? null,
    reconstructedHeldOutAccuracy: check?.reconstructedAccuracy ?? null,
    chance: 1 / classifier.classes.length,
    perClassAccuracy,
    seconds: (performance.now() - started) / 1000,
  };
}
