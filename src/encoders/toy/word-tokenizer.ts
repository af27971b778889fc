// SonicToy's text tokenizer: a word-level vocabulary built from the world's captions and labels, laid out
// like CLIP's (BOS, words, EOS, then EOS padding to a fixed length) so the toy text encoder pools at the
// first EOS as CLIP does.

export const BOS = 0;
export const EOS = 1;
export const UNK = 2;
const SPECIALS = ['<bos>', '<eos>', '<unk>'];

export interface WordTokenizerJson {
  kind: 'sonictoy-word-tokenizer';
  maxTokens: number;
  vocab: string[];
}

export class WordTokenizer {
  private readonly index: Map<string, number>;

  constructor(
    readonly vocab: string[],
    readonly maxTokens: number,
  ) {
    if (maxTokens < 3) throw new Error(`maxTokens must be at least 3, got ${maxTokens}`);
    this.index = new Map(vocab.map((w, i) => [w, i]));
  }

  static fromTexts(texts: string[], maxTokens: number): WordTokenizer {
    const words = new Set<string>();
    for (const t of texts) for (const w of splitWords(t)) words.add(w);
    return new WordTokenizer([...SPECIALS, ...[...words].sort()], maxTokens);
  }

  static fromJson(json: WordTokenizerJson): WordTokenizer {
    if (json.kind !== 'sonictoy-word-tokenizer') throw new Error(`not a SonicToy tokenizer (kind ${String(json.kind)})`);
    return new WordTokenizer(json.vocab, json.maxTokens);
  }

  toJson(): WordTokenizerJson {
    return { kind: 'sonictoy-word-tokenizer', maxTokens: this.maxTokens, vocab: this.vocab };
  }

  get size(): number {
    return this.vocab.length;
  }

  /** Token ids, always maxTokens long: BOS, words (truncated), EOS, EOS padding. */
  encode(text: string): Int32Array {
    const ids = new Int32Array(this.maxTokens).fill(EOS);
    ids[0] = BOS;
    const words = splitWords(text).slice(0, this.maxTokens - 2);
    words.forEach((w, i) => (ids[i + 1] = this.index.get(w) ?? UNK));
    return ids;
  }

  /** Position of the first EOS (where the pooled embedding is read). */
  eosPosition(text: string): number {
    return Math.min(splitWords(text).length, this.maxTokens - 2) + 1;
  }
}

export function splitWords(text: string): string[] {
  return text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 0);
}
