// CLIP image tower (ViT-L/14 for IIS/AIC, ViT-B/32 for AIS) through ONNX Runtime. Preprocessing follows
// the graph's input size S; embeddings are L2-normalised unless options.normalize is false.
import { z } from 'zod';
import type { ImageEncoder, RgbImage } from '../interfaces.js';
import { clipPixelValues } from '../frontends/clip-image.js';
import { commonOptions, parseOptions } from './options.js';
import { chunks, floatTensor, l2normalize, modelFile, openChecked, runOne, splitRows, stack, type CheckedSession } from './session.js';
import { SIGNATURES } from './signatures.js';

export const CLIP_IMAGE_FILE = 'vision_model.onnx';

const imageOptions = commonOptions.extend({
  /** 'transformers' (CLIPImageProcessor) or 'torchvision' (OpenAI clip.load preprocess, used by evaluation.py). */
  crop: z.enum(['transformers', 'torchvision']).default('transformers'),
  normalize: z.boolean().default(true),
});

export class OnnxClipImageEncoder implements ImageEncoder {
  readonly name: string;
  readonly dim: number;
  readonly inputSize: number;

  private constructor(
    private readonly s: CheckedSession,
    private readonly o: z.output<typeof imageOptions>,
  ) {
    this.dim = s.dims.P ?? 0;
    this.inputSize = s.dims.S ?? 0;
    this.name = o.name ?? 'clip-image';
  }

  static async load(path: string, options: unknown = {}): Promise<OnnxClipImageEncoder> {
    const o = parseOptions(imageOptions, 'onnx-clip-image', options);
    const s = await openChecked(modelFile(path, CLIP_IMAGE_FILE), 'CLIP image encoder', SIGNATURES.clipImage, o, o.expectDims);
    if (s.dims.S === undefined || s.dims.P === undefined) {
      await s.session.release();
      throw new Error(`${s.file}: the input size (pixel_values dims 2–3) and embedding size must be fixed in the graph`);
    }
    return new OnnxClipImageEncoder(s, o);
  }

  async embedImages(images: RgbImage[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    const S = this.inputSize;
    for (const batch of chunks(images, this.o.batchSize)) {
      const pixels = batch.map((im) => clipPixelValues(im, { size: S, crop: this.o.crop }));
      const r = await runOne(this.s, { pixel_values: floatTensor(stack(pixels), [batch.length, 3, S, S]) }, ['image_embeds']);
      const rows = splitRows(r.get('image_embeds')!.data, batch.length);
      out.push(...(this.o.normalize ? rows.map(l2normalize) : rows));
    }
    return out;
  }

  async close(): Promise<void> {
    await this.s.session.release();
  }
}
