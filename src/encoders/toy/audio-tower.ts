// The toy audio tower shared by toy-CLAP and toy-Wav2CLIP: a fixed-length log-mel front end (64 mels from
// 16 kHz by default, standardised with training-set statistics) and a small 2-D CNN over [frames, mels].
import * as tf from '@tensorflow/tfjs-core';
import type { AudioClip } from '../interfaces.js';
import { checkConvTowerConfig, convTowerForward, convTowerSpecs, type ConvTowerConfig } from './conv-tower.js';
import type { ParamStore } from '../../compute/param-store.js';
import type { ParamSpec } from './param-specs.js';
import { melBatch, melStatistics, rawLogMel, type MelFrontEnd } from './toy-media.js';

export interface AudioTowerConfig {
  frontEnd: MelFrontEnd;
  tower: ConvTowerConfig;
}

export interface AudioTowerOptions {
  sampleRate: number;
  clipSeconds: number;
  nFft: number;
  hop: number;
  nMels: number;
  audioChannels: number[];
  audioStrides: number[];
  groups: number;
}

export const AUDIO_TOWER_DEFAULTS: Readonly<AudioTowerOptions> = Object.freeze({
  sampleRate: 16000,
  clipSeconds: 1.5,
  nFft: 1024,
  hop: 512,
  nMels: 64,
  audioChannels: [8, 16, 32, 64],
  audioStrides: [2, 2, 2, 2],
  groups: 8,
});

/** Builds the config (front-end statistics from the training clips' mels) and returns those mels too. */
export function buildAudioTower(clips: readonly AudioClip[], o: AudioTowerOptions, jointDim: number): { config: AudioTowerConfig; mels: Float32Array[] } {
  const clipSamples = Math.round(o.clipSeconds * o.sampleRate);
  const base = { sampleRate: o.sampleRate, clipSamples, nFft: o.nFft, hop: o.hop, nMels: o.nMels };
  const mels = clips.map((c) => rawLogMel(c, base));
  const { mean, std } = melStatistics(mels);
  const config: AudioTowerConfig = {
    frontEnd: { ...base, mean, std },
    tower: { inChannels: 1, channels: [...o.audioChannels], strides: [...o.audioStrides], groups: o.groups, jointDim },
  };
  checkAudioTowerConfig(config, 'audio tower options');
  return { config, mels };
}

export function checkAudioTowerConfig(c: AudioTowerConfig, where: string): void {
  const f = c.frontEnd;
  for (const k of ['sampleRate', 'clipSamples', 'nFft', 'hop', 'nMels'] as const) {
    if (!Number.isInteger(f[k]) || f[k] < 1) throw new Error(`${where}: audio ${k} must be a positive integer, got ${String(f[k])}`);
  }
  if (!(f.std > 0) || !Number.isFinite(f.mean)) throw new Error(`${where}: audio front-end statistics are invalid (mean ${f.mean}, std ${f.std})`);
  checkConvTowerConfig(c.tower, `${where}: audio tower`);
  if (c.tower.inChannels !== 1) throw new Error(`${where}: audio tower inChannels must be 1, got ${c.tower.inChannels}`);
}

export function audioTowerSpecs(prefix: string, c: AudioTowerConfig): ParamSpec[] {
  return convTowerSpecs(prefix, c.tower);
}

export function audioMels(clips: readonly AudioClip[], c: AudioTowerConfig): Float32Array[] {
  return clips.map((clip) => rawLogMel(clip, c.frontEnd));
}

/** Differentiable: raw log-mels -> projected audio embeddings [B, D] (not normalised). */
export function audioTowerForward(p: ParamStore, prefix: string, c: AudioTowerConfig, mels: readonly Float32Array[]): tf.Tensor2D {
  return convTowerForward(p, prefix, c.tower, melBatch(mels, c.frontEnd)).projected;
}
