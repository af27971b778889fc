// toy-CLAP: SonicToy's stand-in for CLAP. An audio tower on log-mels and its own text tower (toy-CLIP's
// architecture, separate weights) trained with symmetric InfoNCE on (audio, caption) and (audio, class
// label) pairs. Its L2-normalised audio embedding is what the audio projector consumes (CLAP's 1024-d role).
import * as tf from '@tensorflow/tfjs-core';
import '../../compute/tfjs.js';
import type { AudioClip, AudioEncoder } from '../interfaces.js';
import { AUDIO_TOWER_DEFAULTS, audioMels, audioTowerForward, audioTowerSpecs, buildAudioTower, checkAudioTowerConfig, type AudioTowerConfig, type AudioTowerOptions } from './audio-tower.js';
import { ContrastiveToyModel, logitScaleSpecs } from './contrastive-model.js';
import { EpochSampler, l2Normalize, symmetricInfoNce, trainContrastiveModel, type ProgressCallback } from './contrastive.js';
import { inChunks, readModelConfig, resolveOptions, rowsOf, weightsPath } from './model-dir.js';
import type { ParamStore } from '../../compute/param-store.js';
import { createParams, loadParams, type ParamSpec } from './param-specs.js';
import { towerQuality } from './tower-quality.js';
import { checkTextTowerConfig, textTowerForward, textTowerInput, textTowerSpecs, type TextTowerConfig } from './text-tower.js';
import { loadClips } from './toy-media.js';
import { allClassLabels, pairText, requireRows, splitRows, type ToyRow } from './toy-rows.js';
import { WordTokenizer, type WordTokenizerJson } from './word-tokenizer.js';

export const TOY_CLAP_KIND = 'sonictoy-toy-clap';
const VERSION = 1;

export interface ToyClapConfig {
  kind: typeof TOY_CLAP_KIND;
  version: typeof VERSION;
  audio: AudioTowerConfig;
  text: TextTowerConfig;
  tokenizer: WordTokenizerJson;
  logScale: number;
  learnTemperature: boolean;
}

export interface ToyClapTrainOptions extends AudioTowerOptions {
  seed: number;
  steps: number;
  batchSize: number;
  learningRate: number;
  warmupSteps: number;
  /** Joint audio–text space width (MS-CLAP 2022: 1024). */
  jointDim: number;
  textWidth: number;
  maxTokens: number;
  textLayers: number;
  textHeads: number;
  labelTextFraction: number;
  learnTemperature: boolean;
  temperature: number;
}

export const TOY_CLAP_DEFAULTS: Readonly<ToyClapTrainOptions> = Object.freeze({
  ...AUDIO_TOWER_DEFAULTS,
  seed: 0,
  steps: 400,
  batchSize: 64,
  learningRate: 2e-3,
  warmupSteps: 30,
  jointDim: 128,
  textWidth: 64,
  maxTokens: 16,
  textLayers: 2,
  textHeads: 4,
  labelTextFraction: 0.5,
  learnTemperature: true,
  temperature: 0.07,
});

/** A seconds-long profile for smoke runs (smaller widths, fewer steps); override any field as usual. */
export const TOY_CLAP_QUICK: Readonly<Partial<ToyClapTrainOptions>> = Object.freeze({
  steps: 60,
  batchSize: 32,
  warmupSteps: 10,
  jointDim: 32,
  textWidth: 32,
  textLayers: 1,
  textHeads: 2,
  nMels: 32,
  audioChannels: [8, 16, 32],
  audioStrides: [2, 2, 2],
  groups: 4,
});

const AUDIO = 'audio';
const TEXT = 'text';
const CHUNK = 64;

function paramSpecs(c: ToyClapConfig): ParamSpec[] {
  const specs = [...audioTowerSpecs(AUDIO, c.audio), ...textTowerSpecs(TEXT, c.text)];
  specs.push(...logitScaleSpecs(c));
  return specs;
}

function checkConfig(c: ToyClapConfig, where: string): void {
  checkAudioTowerConfig(c.audio, where);
  checkTextTowerConfig(c.text, where);
  if (c.audio.tower.jointDim !== c.text.jointDim) throw new Error(`${where}: audio jointDim ${c.audio.tower.jointDim} differs from text.jointDim ${c.text.jointDim}`);
  if (c.tokenizer.vocab.length !== c.text.vocabSize || c.tokenizer.maxTokens !== c.text.maxTokens) {
    throw new Error(`${where}: tokenizer (${c.tokenizer.vocab.length} words, ${c.tokenizer.maxTokens} tokens) does not match text tower (${c.text.vocabSize}, ${c.text.maxTokens})`);
  }
}

export class ToyClap extends ContrastiveToyModel<ToyClapConfig> {
  readonly tokenizer: WordTokenizer;

  private constructor(config: ToyClapConfig, params: ParamStore) {
    super(config, params);
    this.tokenizer = WordTokenizer.fromJson(config.tokenizer);
  }

  static create(config: ToyClapConfig, seed: number): ToyClap {
    checkConfig(config, 'toy-CLAP config');
    return new ToyClap(config, createParams(paramSpecs(config), seed));
  }

  static async load(dir: string): Promise<ToyClap> {
    const config = readModelConfig<ToyClapConfig>(dir, TOY_CLAP_KIND, VERSION);
    checkConfig(config, `${dir}/config.json`);
    return new ToyClap(config, loadParams(paramSpecs(config), weightsPath(dir)));
  }

  get jointDim(): number {
    return this.config.text.jointDim;
  }

  /** Differentiable: raw log-mels (see audioMels) -> [B, D] (not normalised). */
  audioForward(mels: readonly Float32Array[]): tf.Tensor2D {
    return audioTowerForward(this.params, AUDIO, this.config.audio, mels);
  }

  textForward(texts: readonly string[]): { tokens: tf.Tensor3D; pooled: tf.Tensor2D } {
    return textTowerForward(this.params, TEXT, this.config.text, textTowerInput(this.tokenizer, texts));
  }

  /** L2-normalised audio embeddings (CLAP's audio embedding role). */
  embedAudio(clips: readonly AudioClip[]): Promise<Float32Array[]> {
    return inChunks(clips, CHUNK, (chunk) => {
      const mels = audioMels(chunk, this.config.audio);
      return rowsOf(tf.tidy(() => l2Normalize(this.audioForward(mels))));
    });
  }

  /** L2-normalised text embeddings in the audio–text space. */
  embedText(texts: readonly string[]): Promise<Float32Array[]> {
    return inChunks(texts, CHUNK, (chunk) => rowsOf(tf.tidy(() => l2Normalize(this.textForward(chunk).pooled))));
  }
}

/** Trains toy-CLAP on the manifest's training split (all domains). */
export async function trainToyClap(rows: readonly ToyRow[], options: Partial<ToyClapTrainOptions> = {}, onProgress?: ProgressCallback, signal?: AbortSignal): Promise<ToyClap> {
  const o = resolveOptions(TOY_CLAP_DEFAULTS, options, 'toy-CLAP training');
  const train = splitRows(rows, 'train');
  requireRows(train, 'toy-CLAP training');
  const { config: audio, mels } = buildAudioTower(loadClips(train), o, o.jointDim);
  const tokenizer = WordTokenizer.fromTexts([...train.map((r) => r.caption), ...allClassLabels()], o.maxTokens);
  const config: ToyClapConfig = {
    kind: TOY_CLAP_KIND,
    version: VERSION,
    audio,
    text: { vocabSize: tokenizer.size, maxTokens: o.maxTokens, width: o.textWidth, layers: o.textLayers, heads: o.textHeads, mlpRatio: 4, jointDim: o.jointDim },
    tokenizer: tokenizer.toJson(),
    logScale: Math.log(1 / o.temperature),
    learnTemperature: o.learnTemperature,
  };
  const model = ToyClap.create(config, o.seed);
  const sampler = new EpochSampler(train.length, o.batchSize, o.seed);
  const rng = sampler.random.fork('pairs');
  return trainContrastiveModel(model, {
    steps: o.steps,
    learningRate: o.learningRate,
    warmupSteps: o.warmupSteps,
    onProgress,
    signal,
    loss: () => {
      const batch = sampler.next();
      const texts = batch.map((i) => pairText(train[i]!, o.labelTextFraction, rng));
      const a = model.audioForward(batch.map((i) => mels[i]!));
      const t = model.textForward(texts).pooled;
      return symmetricInfoNce(a, t, model.logScale(), texts);
    },
  });
}

export interface ToyClapReport {
  /** Audio→text top-1 on the val split, the candidates being the split's unique captions. */
  valAudioToTextTop1: number;
  valCaptionCandidates: number;
  /** Audio→label zero-shot accuracy per domain on the test split. */
  zeroShotAccuracy: Record<string, number>;
  zeroShotChance: Record<string, number>;
  temperature: number;
}

export async function evaluateToyClap(model: ToyClap, rows: readonly ToyRow[]): Promise<ToyClapReport> {
  const logScale = tf.tidy(() => model.logScale().dataSync()[0]!);
  const q = await towerQuality(rows, (r) => model.embedAudio(loadClips(r)), (t) => model.embedText(t), logScale);
  return {
    valAudioToTextTop1: q.valTop1,
    valCaptionCandidates: q.valCaptionCandidates,
    zeroShotAccuracy: q.zeroShotAccuracy,
    zeroShotChance: q.zeroShotChance,
    temperature: q.temperature,
  };
}

/** The AudioEncoder role (CLAP's audio embedding, L2-normalised). */
export function toyClapAudioEncoder(model: ToyClap): AudioEncoder {
  return { name: 'toy-clap-audio', dim: model.jointDim, embedAudio: (clips) => model.embedAudio(clips) };
}
