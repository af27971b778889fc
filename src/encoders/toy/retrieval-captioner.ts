// BLIP-2's role in SonicToy: a retrieval captioner. For an image it returns the training caption whose
// toy-CLIP text embedding is the most similar to the image's embedding. The caption bank (the unique
// training captions and the classes they were written for) and the toy-CLIP it uses are stored together.
import { join } from 'node:path';
import type { Captioner, RgbImage } from '../interfaces.js';
import { readModelConfig, writeModelDir } from './model-dir.js';
import { nearest, round4 } from './quality.js';
import { ToyClip } from './toy-clip.js';
import { loadImages } from './toy-media.js';
import { classKey, requireRows, splitRows, type ToyRow } from './toy-rows.js';

export const RETRIEVAL_CAPTIONER_KIND = 'sonictoy-retrieval-captioner';
const VERSION = 1;
const CLIP_DIR = 'clip';

export interface CaptionBankEntry {
  caption: string;
  /** `domain/label` of every training sample that carried this caption. */
  classes: string[];
}

export interface RetrievalCaptionerConfig {
  kind: typeof RETRIEVAL_CAPTIONER_KIND;
  version: typeof VERSION;
  /** Subdirectory holding the toy-CLIP the captioner retrieves with. */
  clip: string;
  bank: CaptionBankEntry[];
}

export class RetrievalCaptioner {
  private constructor(
    readonly clip: ToyClip,
    readonly bank: readonly CaptionBankEntry[],
    private readonly bankEmbeddings: Float32Array[],
  ) {}

  static async create(clip: ToyClip, bank: readonly CaptionBankEntry[]): Promise<RetrievalCaptioner> {
    if (bank.length === 0) throw new Error('retrieval captioner: the caption bank is empty');
    return new RetrievalCaptioner(clip, bank, await clip.embedText(bank.map((b) => b.caption)));
  }

  static async load(dir: string): Promise<RetrievalCaptioner> {
    const config = readModelConfig<RetrievalCaptionerConfig>(dir, RETRIEVAL_CAPTIONER_KIND, VERSION);
    if (!Array.isArray(config.bank) || config.bank.some((b) => typeof b?.caption !== 'string' || !Array.isArray(b.classes))) {
      throw new Error(`${join(dir, 'config.json')}: 'bank' must be a list of {caption, classes}`);
    }
    return RetrievalCaptioner.create(await ToyClip.load(join(dir, config.clip)), config.bank);
  }

  async save(dir: string): Promise<void> {
    const config: RetrievalCaptionerConfig = { kind: RETRIEVAL_CAPTIONER_KIND, version: VERSION, clip: CLIP_DIR, bank: [...this.bank] };
    await writeModelDir(dir, config);
    await this.clip.save(join(dir, CLIP_DIR));
  }

  /** Index into the bank of the best caption per image. */
  async retrieve(images: readonly RgbImage[]): Promise<number[]> {
    const emb = await this.clip.embedImages(images);
    return emb.map((e) => nearest(e, this.bankEmbeddings));
  }

  async caption(images: readonly RgbImage[]): Promise<string[]> {
    return (await this.retrieve(images)).map((i) => this.bank[i]!.caption);
  }

  dispose(): void {
    this.clip.dispose();
  }
}

/** The unique non-empty captions of the training split, in manifest order, with their classes. */
export function captionBank(rows: readonly ToyRow[]): CaptionBankEntry[] {
  const byCaption = new Map<string, Set<string>>();
  for (const r of splitRows(rows, 'train')) {
    if (r.caption.trim() === '') continue;
    let classes = byCaption.get(r.caption);
    if (!classes) byCaption.set(r.caption, (classes = new Set()));
    classes.add(classKey(r));
  }
  return [...byCaption].map(([caption, classes]) => ({ caption, classes: [...classes].sort() }));
}

/** Builds the captioner from the training captions; it keeps (and later disposes) `clip`. */
export async function buildRetrievalCaptioner(rows: readonly ToyRow[], clip: ToyClip): Promise<RetrievalCaptioner> {
  const bank = captionBank(rows);
  requireRows(bank, 'retrieval captioner (captions)', 1);
  return RetrievalCaptioner.create(clip, bank);
}

export interface RetrievalCaptionerReport {
  /** Fraction of val images whose retrieved caption was written for the image's class. */
  valClassMatch: number;
  /** Fraction of val images whose retrieved caption is exactly the image's own caption. */
  valExactCaption: number;
  bankSize: number;
}

export async function evaluateRetrievalCaptioner(captioner: RetrievalCaptioner, rows: readonly ToyRow[]): Promise<RetrievalCaptionerReport> {
  const val = splitRows(rows, 'val');
  let classMatch = NaN;
  let exact = NaN;
  if (val.length > 0) {
    const picked = await captioner.retrieve(loadImages(val));
    classMatch = picked.filter((b, i) => captioner.bank[b]!.classes.includes(classKey(val[i]!))).length / val.length;
    exact = picked.filter((b, i) => captioner.bank[b]!.caption === val[i]!.caption).length / val.length;
  }
  return { valClassMatch: round4(classMatch), valExactCaption: round4(exact), bankSize: captioner.bank.length };
}

/** The Captioner role (BLIP-2). */
export function toyRetrievalCaptioner(captioner: RetrievalCaptioner): Captioner {
  return { name: 'toy-retrieval-captioner', caption: (images) => captioner.caption(images) };
}
