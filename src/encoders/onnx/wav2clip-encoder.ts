// Wav2CLIP (AIS's audio side) through ONNX Runtime: TS front end (frontends/wav2clip-audio.ts, evaluation.py's
// 44.1 kHz + zero-pad quirk), ResNet18 + MLP graph, L2 normalisation. Clips are run one at a time because
// their spectrogram lengths differ when a clip is longer than the padding target.
import type { AudioClip, AudioToImageSpaceEncoder } from '../interfaces.js';
import { WAV2CLIP_BINS, wav2clipFrontEnd } from '../frontends/wav2clip-audio.js';
import { commonOptions, parseOptions } from './options.js';
import { floatTensor, l2normalize, modelFile, openChecked, runOne, type CheckedSession } from './session.js';
import { SIGNATURES } from './signatures.js';

export const WAV2CLIP_FILE = 'wav2clip.onnx';

export class OnnxWav2Clip implements AudioToImageSpaceEncoder {
  readonly name: string;
  readonly dim: number;

  private constructor(private readonly s: CheckedSession, name: string | undefined) {
    this.dim = s.dims.D ?? 0;
    this.name = name ?? 'wav2clip';
  }

  static async load(path: string, options: unknown = {}): Promise<OnnxWav2Clip> {
    const o = parseOptions(commonOptions, 'onnx-wav2clip', options);
    const s = await openChecked(modelFile(path, WAV2CLIP_FILE), 'Wav2CLIP audio encoder', SIGNATURES.wav2clip, o, o.expectDims);
    if (s.dims.D === undefined) {
      await s.session.release();
      throw new Error(`${s.file}: the embedding width (audio_embeds dim 1) must be fixed in the graph`);
    }
    return new OnnxWav2Clip(s, o.name);
  }

  async embedAudio(clips: AudioClip[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const clip of clips) {
      const { frames, data } = wav2clipFrontEnd(clip);
      const r = await runOne(this.s, { spectrogram: floatTensor(data, [1, 1, WAV2CLIP_BINS, frames]) }, ['audio_embeds']);
      out.push(l2normalize(r.get('audio_embeds')!.data.slice()));
    }
    return out;
  }

  async close(): Promise<void> {
    await this.s.session.release();
  }
}
