// CLIP text tower (SD 1.4's text encoder, CLIP ViT-L/14) through ONNX Runtime. encodeTokens gives the
// per-token last_hidden_state SD conditions on; embedText the pooled, projected embedding (L2-normalised)
// used for zero-shot AIC. The folder holds text_model.onnx + the tokenizer's vocab.json and merges.txt.
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { TextEncoder } from '../interfaces.js';
import { ClipTokenizer } from '../frontends/clip-bpe.js';
import { commonOptions, parseOptions } from './options.js';
import { chunks, int64Tensor, l2normalize, modelFile, openChecked, runOne, splitRows, type CheckedSession } from './session.js';
import { SIGNATURES } from './signatures.js';

export const CLIP_TEXT_FILE = 'text_model.onnx';

const textOptions = commonOptions.extend({ normalize: z.boolean().default(true) });

export class OnnxClipTextEncoder implements TextEncoder {
  readonly name: string;
  readonly maxTokens: number;
  readonly width: number;
  readonly embedDim: number;

  private constructor(
    private readonly s: CheckedSession,
    readonly tokenizer: ClipTokenizer,
    private readonly batchSize: number,
    private readonly normalize: boolean,
    name: string | undefined,
  ) {
    this.maxTokens = tokenizer.maxTokens;
    this.width = s.dims.W ?? 0;
    this.embedDim = s.dims.P ?? 0;
    this.name = name ?? 'clip-text';
  }

  static async load(path: string, options: unknown = {}): Promise<OnnxClipTextEncoder> {
    const o = parseOptions(textOptions, 'onnx-clip-text', options);
    const file = modelFile(path, CLIP_TEXT_FILE);
    const s = await openChecked(file, 'CLIP text encoder', SIGNATURES.clipText, o, o.expectDims);
    const { N, W, P } = s.dims;
    if (N === undefined || W === undefined || P === undefined) {
      await s.session.release();
      throw new Error(`${file}: the token count, width and projection size must be fixed in the graph (got N=${N}, W=${W}, P=${P})`);
    }
    const dir = dirname(file);
    const tokenizer = ClipTokenizer.fromFiles(join(dir, 'vocab.json'), join(dir, 'merges.txt'), N);
    return new OnnxClipTextEncoder(s, tokenizer, o.batchSize, o.normalize, o.name);
  }

  private async run(texts: string[]): Promise<{ hidden: Float32Array[]; pooled: Float32Array[] }> {
    const hidden: Float32Array[] = [];
    const pooled: Float32Array[] = [];
    for (const batch of chunks(texts, this.batchSize)) {
      const ids = new Int32Array(batch.length * this.maxTokens);
      batch.forEach((t, i) => ids.set(this.tokenizer.encode(t), i * this.maxTokens));
      const r = await runOne(this.s, { input_ids: int64Tensor(ids, [batch.length, this.maxTokens]) }, ['last_hidden_state', 'text_embeds']);
      hidden.push(...splitRows(r.get('last_hidden_state')!.data, batch.length));
      pooled.push(...splitRows(r.get('text_embeds')!.data, batch.length));
    }
    return { hidden, pooled };
  }

  async encodeTokens(texts: string[]): Promise<Float32Array[]> {
    return (await this.run(texts)).hidden;
  }

  async embedText(texts: string[]): Promise<Float32Array[]> {
    const { pooled } = await this.run(texts);
    return this.normalize ? pooled.map(l2normalize) : pooled;
  }

  async close(): Promise<void> {
    await this.s.session.release();
  }
}
