// Decoding GPT-2-style byte-level BPE ids (GPT-2, OPT: vocab.json) back to text: each token string is a
// run of printable stand-ins for bytes; map them back and UTF-8 decode with replacement, as
// transformers' decode(..., skip_special_tokens=True) does, then trim.
import { readFileSync } from 'node:fs';
import { bytesToUnicode } from './clip-bpe.js';

export class ByteLevelDecoder {
  private readonly idToToken: string[] = [];
  private readonly byteOf = new Map<string, number>();

  constructor(vocab: Record<string, number>, private readonly special: ReadonlySet<number>) {
    for (const [tok, id] of Object.entries(vocab)) this.idToToken[id] = tok;
    bytesToUnicode().forEach((ch, b) => this.byteOf.set(ch, b));
  }

  static fromFile(vocabPath: string, special: Iterable<number>): ByteLevelDecoder {
    let vocab: Record<string, number>;
    try {
      vocab = JSON.parse(readFileSync(vocabPath, 'utf8')) as Record<string, number>;
    } catch (e) {
      throw new Error(`${vocabPath}: cannot read the decoder vocabulary (${(e as Error).message})`);
    }
    return new ByteLevelDecoder(vocab, new Set(special));
  }

  decode(ids: ArrayLike<number>): string {
    const bytes: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (this.special.has(id)) continue;
      const tok = this.idToToken[id];
      if (tok === undefined) throw new Error(`token id ${id} is not in the decoder vocabulary`);
      for (const ch of tok) {
        const b = this.byteOf.get(ch);
        if (b === undefined) throw new Error(`token ${JSON.stringify(tok)} has a symbol outside the byte alphabet`);
        bytes.push(b);
      }
    }
    return new TextDecoder('utf-8').decode(Uint8Array.from(bytes)).trim();
  }
}
