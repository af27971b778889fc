// CLIP's byte-level BPE tokenizer as transformers' CLIPTokenizer (and so Stable Diffusion) applies it:
// NFC, whitespace runs → one space, lowercase; split with CLIP's regex; each piece's UTF-8 bytes are mapped
// to GPT-2's printable byte alphabet, the last symbol gets "</w>", and merges.txt's ranked merges are
// applied; then [BOS] + first (maxTokens−2) ids + [EOS], padded with EOS (SD's pad token) to maxTokens.
// Reads the standard vocab.json + merges.txt pair of an HF CLIP tokenizer folder.
// (OpenAI's original also runs ftfy and html.unescape; transformers does not, and neither does this.)
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export const CLIP_PATTERN = /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+/giu;
export const BOS_TOKEN = '<|startoftext|>';
export const EOS_TOKEN = '<|endoftext|>';

export function bytesToUnicode(): string[] {
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const table = new Array<string>(256);
  for (const b of bs) table[b] = String.fromCodePoint(b);
  let n = 0;
  for (let b = 0; b < 256; b++) if (table[b] === undefined) table[b] = String.fromCodePoint(256 + n++);
  return table;
}

/** The byte symbols in the order CLIP's vocabulary lists them (printable bytes first, then the rest). */
export function clipByteSymbolOrder(): string[] {
  const table = bytesToUnicode();
  const printable: number[] = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const rest = [...Array(256).keys()].filter((b) => !printable.includes(b));
  return [...printable, ...rest].map((b) => table[b]!);
}

export class ClipTokenizer {
  readonly bos: number;
  readonly eos: number;
  private readonly ranks = new Map<string, number>();
  private readonly byteTable = bytesToUnicode();
  private readonly cache = new Map<string, number[]>();
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly vocab: Map<string, number>,
    merges: [string, string][],
    readonly maxTokens = 77,
  ) {
    merges.forEach(([a, b], i) => this.ranks.set(`${a} ${b}`, i));
    const bos = vocab.get(BOS_TOKEN);
    const eos = vocab.get(EOS_TOKEN);
    if (bos === undefined || eos === undefined) throw new Error(`CLIP vocabulary lacks ${BOS_TOKEN} or ${EOS_TOKEN}`);
    this.bos = bos;
    this.eos = eos;
  }

  static fromFiles(vocabPath: string, mergesPath: string, maxTokens = 77): ClipTokenizer {
    let vocabJson: Record<string, number>;
    try {
      vocabJson = JSON.parse(readFileSync(vocabPath, 'utf8')) as Record<string, number>;
    } catch (e) {
      throw new Error(`${vocabPath}: cannot read the CLIP vocabulary (${(e as Error).message})`);
    }
    let mergesText: string;
    try {
      mergesText = readFileSync(mergesPath, 'utf8');
    } catch (e) {
      throw new Error(`${mergesPath}: cannot read the CLIP merges (${(e as Error).message})`);
    }
    const merges: [string, string][] = [];
    mergesText.split('\n').forEach((line, i) => {
      const t = line.replace(/\r$/, '');
      if (t === '' || (i === 0 && t.startsWith('#version'))) return;
      const parts = t.split(' ');
      if (parts.length !== 2) throw new Error(`${mergesPath}:${i + 1}: expected "a b", got ${JSON.stringify(t)}`);
      merges.push([parts[0]!, parts[1]!]);
    });
    return new ClipTokenizer(new Map(Object.entries(vocabJson)), merges, maxTokens);
  }

  /**
   * OpenAI's bpe_simple_vocab_16e6.txt.gz (shipped with clip / open_clip): the first 48,894 merges; the
   * vocabulary is derived from them exactly as CLIP's SimpleTokenizer (and HF's vocab.json) does.
   */
  static fromOpenAiBpeGz(path: string, maxTokens = 77): ClipTokenizer {
    let lines: string[];
    try {
      lines = gunzipSync(readFileSync(path)).toString('utf8').split('\n');
    } catch (e) {
      throw new Error(`${path}: cannot read the CLIP BPE merges (${(e as Error).message})`);
    }
    const merges = lines.slice(1, 49152 - 256 - 2 + 1).map((l) => l.split(/\s+/) as [string, string]);
    const symbols = clipByteSymbolOrder();
    const vocabList = [...symbols, ...symbols.map((s) => `${s}</w>`), ...merges.map(([a, b]) => a + b), BOS_TOKEN, EOS_TOKEN];
    return new ClipTokenizer(new Map(vocabList.map((v, i) => [v, i])), merges, maxTokens);
  }

  normalize(text: string): string {
    return text.normalize('NFC').replace(/\s+/gu, ' ').toLowerCase();
  }

  /** Token ids without BOS/EOS or padding. */
  tokenize(text: string): number[] {
    const ids: number[] = [];
    for (const m of this.normalize(text).matchAll(CLIP_PATTERN)) {
      const piece = m[0];
      if (piece === BOS_TOKEN) ids.push(this.bos);
      else if (piece === EOS_TOKEN) ids.push(this.eos);
      else ids.push(...this.bpe(piece));
    }
    return ids;
  }

  /** [maxTokens] ids: BOS, tokens (truncated), EOS, EOS padding. */
  encode(text: string): Int32Array {
    const body = this.tokenize(text).slice(0, this.maxTokens - 2);
    const out = new Int32Array(this.maxTokens).fill(this.eos);
    out[0] = this.bos;
    out.set(body, 1);
    out[body.length + 1] = this.eos;
    return out;
  }

  private bpe(piece: string): number[] {
    const hit = this.cache.get(piece);
    if (hit) return hit;
    const symbols = [...this.encoder.encode(piece)].map((b) => this.byteTable[b]!);
    symbols[symbols.length - 1] += '</w>';
    while (symbols.length > 1) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < symbols.length - 1; i++) {
        const r = this.ranks.get(`${symbols[i]} ${symbols[i + 1]}`);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) break;
      const merged = symbols[best]! + symbols[best + 1]!;
      // Merge every occurrence of the best pair, left to right (as CLIP's bpe() does).
      const a = symbols[best]!;
      const b = symbols[best + 1]!;
      const next: string[] = [];
      for (let i = 0; i < symbols.length; i++) {
        if (i < symbols.length - 1 && symbols[i] === a && symbols[i + 1] === b) {
          next.push(merged);
          i++;
        } else next.push(symbols[i]!);
      }
      symbols.length = 0;
      symbols.push(...next);
    }
    const ids = symbols.map((s) => {
      const id = this.vocab.get(s);
      if (id === undefined) throw new Error(`CLIP vocabulary has no entry for BPE symbol ${JSON.stringify(s)}`);
      return id;
    });
    this.cache.set(piece, ids);
    return ids;
  }
}
