// Render one SonicToy sample (audio, image, caption) from its own seed. Audio, image and caption use
// independent random streams, so changing the intensity changes only loudness and visual strength.
import type { RgbImage } from '../media/image.js';
import { toyClass } from './classes.js';
import { fillCaption } from './captions.js';
import { fadeEdges, normalizeRms, softLimit } from './dsp.js';
import { Rng } from './prng.js';
import { Canvas } from './raster.js';
import type { SonicToyDomain } from './toy-class.js';

export interface SampleRenderParams {
  domain: SonicToyDomain;
  label: string;
  /** 32-bit seed of this sample. */
  seed: number;
  intensity: number;
  sampleRate: number;
  clipSeconds: number;
  imageSize: number;
}

export interface RenderedSample {
  audio: Float32Array;
  image: RgbImage<Float32Array>;
  caption: string;
}

/** Loudness range that intensity 0 → 1 spans, in dB. */
export const INTENSITY_RANGE_DB = 24;

export function renderSonicToySample(p: SampleRenderParams): RenderedSample {
  const cls = toyClass(p.domain, p.label);
  const length = Math.max(1, Math.round(p.sampleRate * p.clipSeconds));
  const raw = cls.synth({ rng: new Rng(p.seed ^ 0xa0d10), sampleRate: p.sampleRate, length });
  const db = cls.levelDb - INTENSITY_RANGE_DB * (1 - p.intensity);
  const audio = softLimit(normalizeRms(raw, Math.pow(10, db / 20)));
  fadeEdges(audio, p.sampleRate);
  const canvas = new Canvas(p.imageSize, p.imageSize >= 96 ? 2 : 3);
  cls.paint({ rng: new Rng(p.seed ^ 0x1a6e), canvas, intensity: p.intensity });
  const captionRng = new Rng(p.seed ^ 0xc4b7);
  const caption = fillCaption(captionRng.pick(cls.captions), p.domain, p.intensity, captionRng);
  return { audio, image: canvas.toImage(), caption };
}
