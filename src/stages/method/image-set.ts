// The artifact generate and edit write and evaluate reads: images/<id>.png plus index.json naming, per
// image, the clip whose audio conditioned it (its label, its ground-truth frame) and, for edits, the source.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readPng, writePng, toFloatImage, type RgbImage } from '../../data/media/index.js';
import { readJson, writeJson } from '../common/json-file.js';

export const IMAGE_SET_INDEX = 'index.json';

export interface ImageSetItem {
  id: string; // the conditioning clip's id
  label: string;
  file: string; // relative to the set directory
  source?: string; // edits: the id of the edited image
}

export interface ImageSetIndex {
  task: 'generation' | 'editing';
  domain: string;
  method: string;
  /** The ablation that trained the model ('full' for the method itself; 'text_pnp' for the text baseline). */
  ablation: string;
  items: ImageSetItem[];
}

export function writeImage(dir: string, rel: string, image: RgbImage): void {
  const path = join(dir, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writePng(path, image);
}

export function writeImageSetIndex(dir: string, index: ImageSetIndex): void {
  writeJson(join(dir, IMAGE_SET_INDEX), index);
}

export function readImageSet(dir: string): { index: ImageSetIndex; images: RgbImage<Float32Array>[] } {
  const index = readJson<ImageSetIndex>(join(dir, IMAGE_SET_INDEX), 'the image-set index');
  return { index, images: index.items.map((it) => toFloatImage(readPng(join(dir, it.file)))) };
}
