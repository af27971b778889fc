// toy-Wav2CLIP: SonicToy's stand-in for Wav2CLIP. Wav2CLIP's recipe: an audio tower trained with
// contrastive loss against the FROZEN image embeddings of a CLIP model (here toy-CLIP's image tower) of
// the images paired with the clips, so audio lands in that image space (the AIS metric's audio side).
import * as tf from '@tensorflow/tfjs-core';
import '../../compute/tfjs.js';
import type { AudioClip, AudioToImageSpaceEncoder } from '../interfaces.js';
import { AUDIO_TOWER_DEFAULTS, audioMels, audioTowerForward, audioTowerSpecs, buildAudioTower, checkAudioTowerConfig, type AudioTowerConfig, type AudioTowerOptions } from './audio-tower.js';
import { ContrastiveToyModel, logitScaleSpecs } from './contrastive-model.js';
import { EpochSampler, l2Normalize, symmetricInfoNce, trainContrastiveModel, type ProgressCallback } from './contrastive.js';
import { inChunks, readModelConfig, resolveOptions, rowsOf, weightsPath } from './model-dir.js';
import type { ParamStore } from '../../compute/param-store.js';
import { createParams, loadParams, type ParamSpec } from './param-specs.js';
import { keyMatchTop1, retrievalTop1, round4 } from './quality.js';
import { loadClips, loadImages } from './toy-media.js';
import { classKey, requireRows, splitRows, type ToyRow } from './toy-rows.js';
import type { ToyClip } from './toy-clip.js';

export const TOY_WAV2CLIP_KIND = 'sonictoy-toy-wav2clip';
const VERSION = 1;

export interface ToyWav2ClipConfig {
  kind: typeof TOY_WAV2CLIP_KIND;
  version: typeof VERSION;
  audio: AudioTowerConfig;
  /** The image space the audio was aligned to (for reports; the space itself is the frozen toy-CLIP's). */
  imageSpace: { model: string; dim: number };
  logScale: number;
  learnTemperature: boolean;
}

export interface ToyWav2ClipTrainOptions extends AudioTowerOptions {
  seed: number;
  steps: number;
  batchSize: number;
  learningRate: number;
  warmupSteps: number;
  learnTemperature: boolean;
  temperature: number;
}

export const TOY_WAV2CLIP_DEFAULTS: Readonly<ToyWav2ClipTrainOptions> = Object.freeze({
  ...AUDIO_TOWER_DEFAULTS,
  seed: 0,
  steps: 400,
  batchSize: 64,
  learningRate: 2e-3,
  warmupSteps: 30,
  learnTemperature: true,
  temperature: 0.07,
});

/** A seconds-long profile for smoke runs (smaller widths, fewer steps); override any field as usual. */
export const TOY_WAV2CLIP_QUICK: Readonly<Partial<ToyWav2ClipTrainOptions>> = Object.freeze({
  steps: 60,
  batchSize: 32,
  warmupSteps: 10,
  nMels: 32,
  audioChannels: [8, 16, 32],
  audioStrides: [2, 2, 2],
  groups: 4,
});

const AUDIO = 'audio';
const CHUNK = 64;

function paramSpecs(c: ToyWav2ClipConfig): ParamSpec[] {
  const specs = audioTowerSpecs(AUDIO, c.audio);
  specs.push(...logitScaleSpecs(c));
  return specs;
}

function checkConfig(c: ToyWav2ClipConfig, where: string): void {
  checkAudioTowerConfig(c.audio, where);
  if (c.audio.tower.jointDim !== c.imageSpace.dim) throw new Error(`${where}: audio jointDim ${c.audio.tower.jointDim} differs from the image space's ${c.imageSpace.dim}`);
}

export class ToyWav2Clip extends ContrastiveToyModel<ToyWav2ClipConfig> {
  private constructor(config: ToyWav2ClipConfig, params: ParamStore) {
    super(config, params);
  }

  static create(config: ToyWav2ClipConfig, seed: number): ToyWav2Clip {
    checkConfig(config, 'toy-Wav2CLIP config');
    return new ToyWav2Clip(config, createParams(paramSpecs(config), seed));
  }

  static async load(dir: string): Promise<ToyWav2Clip> {
    const config = readModelConfig<ToyWav2ClipConfig>(dir, TOY_WAV2CLIP_KIND, VERSION);
    checkConfig(config, `${dir}/config.json`);
    return new ToyWav2Clip(config, loadParams(paramSpecs(config), weightsPath(dir)));
  }

  get dim(): number {
    return this.config.imageSpace.dim;
  }

  audioForward(mels: readonly Float32Array[]): tf.Tensor2D {
    return audioTowerForward(this.params, AUDIO, this.config.audio, mels);
  }

  /** L2-normalised audio embeddings in the toy-CLIP image space. */
  embedAudio(clips: readonly AudioClip[]): Promise<Float32Array[]> {
    return inChunks(clips, CHUNK, (chunk) => {
      const mels = audioMels(chunk, this.config.audio);
      return rowsOf(tf.tidy(() => l2Normalize(this.audioForward(mels))));
    });
  }
}

/** Trains the audio tower against frozen toy-CLIP image embeddings of the paired training images. */
export async function trainToyWav2Clip(
  rows: readonly ToyRow[],
  clip: ToyClip,
  options: Partial<ToyWav2ClipTrainOptions> = {},
  onProgress?: ProgressCallback,
  signal?: AbortSignal,
): Promise<ToyWav2Clip> {
  const o = resolveOptions(TOY_WAV2CLIP_DEFAULTS, options, 'toy-Wav2CLIP training');
  const train = splitRows(rows, 'train');
  requireRows(train, 'toy-Wav2CLIP training');
  const imageEmb = await clip.embedImages(loadImages(train)); // frozen targets, computed once
  const { config: audio, mels } = buildAudioTower(loadClips(train), o, clip.jointDim);
  const config: ToyWav2ClipConfig = {
    kind: TOY_WAV2CLIP_KIND,
    version: VERSION,
    audio,
    imageSpace: { model: 'toy-clip-image', dim: clip.jointDim },
    logScale: Math.log(1 / o.temperature),
    learnTemperature: o.learnTemperature,
  };
  const model = ToyWav2Clip.create(config, o.seed);
  const sampler = new EpochSampler(train.length, o.batchSize, o.seed);
  const dim = clip.jointDim;
  return trainContrastiveModel(model, {
    steps: o.steps,
    learningRate: o.learningRate,
    warmupSteps: o.warmupSteps,
    onProgress,
    signal,
    loss: () => {
      const batch = sampler.next();
      const targets = new Float32Array(batch.length * dim);
      batch.forEach((i, k) => targets.set(imageEmb[i]!, k * dim));
      const a = model.audioForward(batch.map((i) => mels[i]!));
      return symmetricInfoNce(a, tf.tensor2d(targets, [batch.length, dim]), model.logScale());
    },
  });
}

export interface ToyWav2ClipReport {
  /** Audio→image top-1 on the val split: the nearest val image (toy-CLIP space) is the clip's own pair. */
  valAudioToImageTop1: number;
  /** The nearest val image shows the clip's class. */
  valAudioToImageClassTop1: number;
  valImageCandidates: number;
  temperature: number;
}

export async function evaluateToyWav2Clip(model: ToyWav2Clip, clip: ToyClip, rows: readonly ToyRow[]): Promise<ToyWav2ClipReport> {
  const val = splitRows(rows, 'val');
  let top1 = NaN;
  let classTop1 = NaN;
  if (val.length > 0) {
    const audio = await model.embedAudio(loadClips(val));
    const images = await clip.embedImages(loadImages(val));
    top1 = retrievalTop1(audio, images, val.map((_, i) => i));
    const keys = val.map(classKey);
    classTop1 = keyMatchTop1(audio, keys, images, keys);
  }
  const logScale = tf.tidy(() => model.logScale().dataSync()[0]!);
  return {
    valAudioToImageTop1: round4(top1),
    valAudioToImageClassTop1: round4(classTop1),
    valImageCandidates: val.length,
    temperature: round4(Math.exp(-logScale)),
  };
}

/** The AudioToImageSpaceEncoder role (Wav2CLIP in AIS). */
export function toyWav2ClipEncoder(model: ToyWav2Clip): AudioToImageSpaceEncoder {
  return { name: 'toy-wav2clip', dim: model.dim, embedAudio: (clips) => model.embedAudio(clips) };
}
