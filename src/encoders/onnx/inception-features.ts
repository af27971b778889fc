// Inception-v3 pool3 features for FID through ONNX Runtime. The graph is pytorch-fid's FID Inception with
// its input normalisation inside and takes [B,3,299,299] in [0,1]; the bilinear resize to 299
// (F.interpolate, align_corners=False, as pytorch-fid's resize_input) runs here.
import type { FeatureExtractor, RgbImage } from '../interfaces.js';
import { hwcToChw, resizeBilinearChw } from '../frontends/bilinear.js';
import { commonOptions, parseOptions } from './options.js';
import { chunks, floatTensor, modelFile, openChecked, runOne, splitRows, stack, type CheckedSession } from './session.js';
import { SIGNATURES } from './signatures.js';

export const INCEPTION_FILE = 'inception_pool3.onnx';
const SIZE = 299;

export class OnnxInceptionFeatures implements FeatureExtractor {
  readonly name: string;
  readonly dim = 2048;

  private constructor(private readonly s: CheckedSession, private readonly batchSize: number, name: string | undefined) {
    this.name = name ?? 'inception-v3-pool3 (pytorch-fid weights, ONNX)';
  }

  static async load(path: string, options: unknown = {}): Promise<OnnxInceptionFeatures> {
    const o = parseOptions(commonOptions, 'onnx-inception-v3', options);
    const s = await openChecked(modelFile(path, INCEPTION_FILE), 'Inception-v3 pool3 feature extractor', SIGNATURES.inception, o, o.expectDims);
    return new OnnxInceptionFeatures(s, o.batchSize, o.name);
  }

  static preprocess(img: RgbImage): Float32Array {
    return resizeBilinearChw(hwcToChw(img.data, img.width, img.height), 3, img.height, img.width, SIZE, SIZE);
  }

  async features(images: RgbImage[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const batch of chunks(images, this.batchSize)) {
      const x = stack(batch.map((im) => OnnxInceptionFeatures.preprocess(im)));
      const r = await runOne(this.s, { images: floatTensor(x, [batch.length, 3, SIZE, SIZE]) }, ['pool3']);
      out.push(...splitRows(r.get('pool3')!.data, batch.length));
    }
    return out;
  }

  async close(): Promise<void> {
    await this.s.session.release();
  }
}
