// Image captioning (BLIP-2's role: captions for stage 1's MSE target) as a greedy decoder loop over an
// ONNX encoder/decoder pair. The folder holds encoder.onnx, decoder.onnx, the decoder's byte-level BPE
// vocab.json and captioner.json (start/end ids, max length, image preprocessing). Without a KV cache the
// decoder re-reads the whole prefix each step: O(L²), fine for captions of ≤ 30 tokens.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Captioner, RgbImage } from '../interfaces.js';
import { ByteLevelDecoder } from '../frontends/byte-bpe-decode.js';
import { rgbToU8 } from '../frontends/clip-image.js';
import { pilResize } from '../frontends/pil-resize.js';
import { commonOptions, parseOptions } from './options.js';
import { chunks, floatTensor, int64Tensor, openChecked, runOne, stack, type CheckedSession } from './session.js';
import { SIGNATURES } from './signatures.js';

export const CAPTIONER_FILES = { encoder: 'encoder.onnx', decoder: 'decoder.onnx', vocab: 'vocab.json', config: 'captioner.json' } as const;

export const captionerConfigSchema = z.object({
  decoderStartTokenId: z.number().int().nonnegative(),
  eosTokenId: z.number().int().nonnegative(),
  padTokenId: z.number().int().nonnegative().optional(),
  maxLength: z.number().int().positive(),
  image: z.object({
    size: z.number().int().positive(),
    resample: z.enum(['bilinear', 'bicubic']),
    mean: z.array(z.number()).length(3),
    std: z.array(z.number().positive()).length(3),
  }),
});
export type CaptionerConfig = z.infer<typeof captionerConfigSchema>;

const captionerOptions = commonOptions.extend({ maxLength: z.number().int().positive().optional() });

export class OnnxCaptioner implements Captioner {
  readonly name: string;

  private constructor(
    private readonly enc: CheckedSession,
    private readonly dec: CheckedSession,
    private readonly cfg: CaptionerConfig,
    private readonly decoder: ByteLevelDecoder,
    private readonly batchSize: number,
    name: string | undefined,
  ) {
    this.name = name ?? 'onnx-captioner';
  }

  static async load(dir: string, options: unknown = {}): Promise<OnnxCaptioner> {
    const o = parseOptions(captionerOptions, 'onnx-captioner', options);
    const cfgFile = join(dir, CAPTIONER_FILES.config);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(cfgFile, 'utf8'));
    } catch (e) {
      throw new Error(`${cfgFile}: cannot read the captioner configuration (${(e as Error).message})`);
    }
    const parsed = captionerConfigSchema.safeParse(raw);
    if (!parsed.success) {
      throw new Error(`${cfgFile}: invalid captioner configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    const cfg = { ...parsed.data, maxLength: o.maxLength ?? parsed.data.maxLength };
    const enc = await openChecked(join(dir, CAPTIONER_FILES.encoder), 'captioner image encoder', SIGNATURES.captionEncoder, o, { S: cfg.image.size, ...o.expectDims });
    const dec = await openChecked(join(dir, CAPTIONER_FILES.decoder), 'captioner text decoder', SIGNATURES.captionDecoder, o, o.expectDims);
    const special = [cfg.decoderStartTokenId, cfg.eosTokenId, ...(cfg.padTokenId === undefined ? [] : [cfg.padTokenId])];
    const decoder = ByteLevelDecoder.fromFile(join(dir, CAPTIONER_FILES.vocab), special);
    return new OnnxCaptioner(enc, dec, cfg, decoder, o.batchSize, o.name);
  }

  pixelValues(img: RgbImage): Float32Array {
    const { size, resample, mean, std } = this.cfg.image;
    const r = pilResize(rgbToU8(img), size, size, resample);
    const out = new Float32Array(3 * size * size);
    for (let c = 0; c < 3; c++) {
      for (let i = 0; i < size * size; i++) out[c * size * size + i] = (r.data[i * 3 + c]! / 255 - mean[c]!) / std[c]!;
    }
    return out;
  }

  /** Greedy token ids per image, starting with decoderStartTokenId and ending with EOS when it was reached. */
  async generateIds(images: RgbImage[]): Promise<number[][]> {
    const all: number[][] = [];
    const S = this.cfg.image.size;
    for (const batch of chunks(images, this.batchSize)) {
      const B = batch.length;
      const encOut = await runOne(this.enc, { pixel_values: floatTensor(stack(batch.map((im) => this.pixelValues(im))), [B, 3, S, S]) }, ['last_hidden_state']);
      const hidden = encOut.get('last_hidden_state')!;
      const hiddenTensor = floatTensor(hidden.data, hidden.dims);
      const seqs = batch.map(() => [this.cfg.decoderStartTokenId]);
      const done = batch.map(() => false);
      for (let step = 0; step < this.cfg.maxLength && done.some((d) => !d); step++) {
        const L = seqs[0]!.length;
        const ids = seqs.flat();
        const r = await runOne(this.dec, { input_ids: int64Tensor(ids, [B, L]), encoder_hidden_states: hiddenTensor }, ['logits']);
        const logits = r.get('logits')!;
        const V = logits.dims[2]!;
        for (let b = 0; b < B; b++) {
          if (done[b]) {
            seqs[b]!.push(this.cfg.padTokenId ?? this.cfg.eosTokenId); // keeps the batch rectangular; dropped below
            continue;
          }
          const off = (b * L + L - 1) * V;
          let best = 0;
          for (let v = 1; v < V; v++) if (logits.data[off + v]! > logits.data[off + best]!) best = v;
          seqs[b]!.push(best);
          if (best === this.cfg.eosTokenId) done[b] = true;
        }
      }
      for (const s of seqs) {
        const end = s.indexOf(this.cfg.eosTokenId, 1);
        all.push(end < 0 ? s : s.slice(0, end + 1));
      }
    }
    return all;
  }

  async caption(images: RgbImage[]): Promise<string[]> {
    return (await this.generateIds(images)).map((ids) => this.decoder.decode(ids.slice(1)));
  }

  async close(): Promise<void> {
    await this.enc.session.release();
    await this.dec.session.release();
  }
}
