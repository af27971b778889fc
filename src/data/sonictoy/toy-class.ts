// The contract every SonicToy class implements: a sound, a picture and caption templates.
import type { Canvas } from './raster.js';
import type { Rng } from './prng.js';

export const SONICTOY_DOMAINS = ['landscape', 'hits', 'voices'] as const;
export type SonicToyDomain = (typeof SONICTOY_DOMAINS)[number];

export interface SynthContext {
  rng: Rng;
  sampleRate: number;
  /** Clip length in samples. */
  length: number;
}

export interface PaintContext {
  rng: Rng;
  canvas: Canvas;
  /** Visual strength in [0, 1], the same value that sets the clip's loudness. */
  intensity: number;
}

export interface ToyClass {
  label: string;
  /** Clip RMS in dBFS at intensity 1 (before the soft limiter); quieter materials sit lower. */
  levelDb: number;
  /** Raw sound at any scale; the caller normalises loudness. */
  synth(ctx: SynthContext): Float32Array;
  paint(ctx: PaintContext): void;
  /** Caption templates; `{i}` is replaced by an intensity word (or dropped for middling intensity). */
  captions: readonly string[];
}
