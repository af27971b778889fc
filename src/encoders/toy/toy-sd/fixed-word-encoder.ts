// A deterministic TextEncoder with no training: each word gets a fixed pseudo-random vector (seeded by the
// word), laid out like CLIP's token states (BOS, words, EOS padding to maxTokens) plus a positional vector
// and the sentence's mean word vector (so every token, EOS padding included, carries the sentence, as a
// transformer's states do). It stands in for toy-CLIP's text tower where none is trained yet (tests,
// smoke runs, benchmarks).
import type { TextEncoder } from '../../interfaces.js';
import { splitWords } from '../word-tokenizer.js';
import { mulberry32, seedFor } from '../../../compute/seeded-random.js';

export class FixedWordTextEncoder implements TextEncoder {
  readonly name: string;

  constructor(
    readonly maxTokens = 16,
    readonly width = 64,
    readonly seed = 0,
  ) {
    if (!Number.isInteger(maxTokens) || maxTokens < 3) throw new Error(`FixedWordTextEncoder: maxTokens must be an integer ≥ 3, got ${maxTokens}`);
    if (!Number.isInteger(width) || width < 1) throw new Error(`FixedWordTextEncoder: width must be a positive integer, got ${width}`);
    this.name = `fixed-word-${maxTokens}x${width}-s${seed}`;
  }

  private vector(key: string, scale: number): Float32Array {
    const rand = mulberry32(seedFor(this.seed, key));
    const v = new Float32Array(this.width);
    for (let i = 0; i < this.width; i++) v[i] = (rand() * 2 - 1) * scale * Math.sqrt(3);
    return v;
  }

  /** Row-major [maxTokens·width]: unit-variance token vectors + 0.3-scaled positions + the sentence's mean word vector. */
  encodeSync(text: string): Float32Array {
    const words = splitWords(text).slice(0, this.maxTokens - 2);
    const tokens = ['<bos>', ...words.map((w) => `w:${w}`)];
    while (tokens.length < this.maxTokens) tokens.push('<eos>');
    const context = new Float32Array(this.width);
    for (const w of words) {
      const v = this.vector(`w:${w}`, 1);
      for (let j = 0; j < this.width; j++) context[j]! += v[j]! / words.length;
    }
    const out = new Float32Array(this.maxTokens * this.width);
    tokens.forEach((t, i) => {
      const word = this.vector(t, 1);
      const pos = this.vector(`<pos ${i}>`, 0.3);
      for (let j = 0; j < this.width; j++) out[i * this.width + j] = word[j]! + pos[j]! + context[j]!;
    });
    return out;
  }

  async encodeTokens(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.encodeSync(t));
  }

  /** Mean of the word vectors (no joint image space; only for interface completeness in smoke runs). */
  async embedText(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => {
      const words = splitWords(t);
      const out = new Float32Array(this.width);
      for (const w of words) {
        const v = this.vector(`w:${w}`, 1);
        for (let j = 0; j < this.width; j++) out[j]! += v[j]! / words.length;
      }
      return out;
    });
  }
}
