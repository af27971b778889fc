// MS-CLAP 2022 audio tower (Cnn14 + projection) through ONNX Runtime: the AudioEncoder the paper's
// projector consumes. Front end in TS (frontends/clap-audio.ts), graph from Cnn14's bn0 to the projection,
// L2 normalisation here (spec §2: the embedding has unit norm).
import { z } from 'zod';
import type { AudioClip, AudioEncoder } from '../interfaces.js';
import { CLAP_2022, clapFrontEnd } from '../frontends/clap-audio.js';
import type { CropPolicy } from '../frontends/clip-length.js';
import { commonOptions, parseOptions } from './options.js';
import { chunks, floatTensor, l2normalize, modelFile, openChecked, runOne, splitRows, stack, type CheckedSession } from './session.js';
import { SIGNATURES } from './signatures.js';

export const CLAP_FILE = 'clap_audio.onnx';

const clapOptions = commonOptions.extend({
  crop: z.enum(['seeded', 'center']).default('seeded'),
  cropSeed: z.number().int().default(0),
});

export class OnnxClapAudioEncoder implements AudioEncoder {
  readonly name: string;
  readonly dim: number;

  private constructor(
    private readonly s: CheckedSession,
    private readonly crop: CropPolicy,
    private readonly batchSize: number,
    name: string | undefined,
  ) {
    this.dim = s.dims.D ?? 0;
    this.name = name ?? 'ms-clap-2022';
  }

  static async load(path: string, options: unknown = {}): Promise<OnnxClapAudioEncoder> {
    const o = parseOptions(clapOptions, 'onnx-ms-clap-2022', options);
    const s = await openChecked(modelFile(path, CLAP_FILE), 'MS-CLAP 2022 audio encoder', SIGNATURES.clapAudio, o, o.expectDims);
    if (s.dims.D === undefined) {
      await s.session.release();
      throw new Error(`${s.file}: the embedding width (audio_embeds dim 1) must be fixed in the graph`);
    }
    const crop: CropPolicy = o.crop === 'center' ? { kind: 'center' } : { kind: 'seeded', seed: o.cropSeed };
    return new OnnxClapAudioEncoder(s, crop, o.batchSize, o.name);
  }

  async embedAudio(clips: AudioClip[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const batch of chunks(clips, this.batchSize)) {
      const feats = batch.map((c) => clapFrontEnd(c, this.crop));
      const frames = feats[0]!.length / CLAP_2022.melBins;
      const r = await runOne(this.s, { log_mel: floatTensor(stack(feats), [batch.length, 1, frames, CLAP_2022.melBins]) }, ['audio_embeds']);
      out.push(...splitRows(r.get('audio_embeds')!.data, batch.length).map(l2normalize));
    }
    return out;
  }

  async close(): Promise<void> {
    await this.s.session.release();
  }
}
