// toy-CLIP: SonicToy's stand-in for CLIP. An image tower (small CNN on 32×32 RGB) and a text tower (CLIP's
// text transformer in miniature) trained with symmetric InfoNCE on (image, caption) and (image, raw class
// label) pairs of all domains, so the per-token text states can condition the diffusion model, pooled text
// embeddings classify images zero-shot (AIC), and the image tower measures image similarity (IIS) and
// supplies the feature space for the toy world's FID.
import * as tf from '@tensorflow/tfjs-core';
import '../../compute/tfjs.js';
import type { FeatureExtractor, ImageEncoder, RgbImage, TextEncoder } from '../interfaces.js';
import { ContrastiveToyModel, logitScaleSpecs } from './contrastive-model.js';
import { EpochSampler, l2Normalize, symmetricInfoNce, trainContrastiveModel, type ProgressCallback } from './contrastive.js';
import { checkConvTowerConfig, convTowerFeatureDim, convTowerForward, convTowerSpecs, type ConvTowerConfig } from './conv-tower.js';
import { inChunks, readModelConfig, resolveOptions, rowsOf, weightsPath } from './model-dir.js';
import type { ParamStore } from '../../compute/param-store.js';
import { createParams, loadParams, type ParamSpec } from './param-specs.js';
import { towerQuality } from './tower-quality.js';
import { checkTextTowerConfig, textTowerForward, textTowerInput, textTowerSpecs, type TextTowerConfig } from './text-tower.js';
import { imageBatch, loadImages } from './toy-media.js';
import { allClassLabels, pairText, requireRows, splitRows, type ToyRow } from './toy-rows.js';
import { WordTokenizer, type WordTokenizerJson } from './word-tokenizer.js';

export const TOY_CLIP_KIND = 'sonictoy-toy-clip';
const VERSION = 1;

export interface ToyClipConfig {
  kind: typeof TOY_CLIP_KIND;
  version: typeof VERSION;
  imageSize: number;
  image: ConvTowerConfig;
  text: TextTowerConfig;
  tokenizer: WordTokenizerJson;
  /** Used when the temperature is fixed; a learnable one lives in the weights as `logit_scale`. */
  logScale: number;
  learnTemperature: boolean;
}

export interface ToyClipTrainOptions {
  seed: number;
  steps: number;
  batchSize: number;
  learningRate: number;
  warmupSteps: number;
  /** Joint image–text space width (CLIP ViT-L/14: 768). */
  jointDim: number;
  /** Per-token state width W and count L of the text tower (CLIP: 768 × 77). */
  textWidth: number;
  maxTokens: number;
  textLayers: number;
  textHeads: number;
  imageChannels: number[];
  imageStrides: number[];
  groups: number;
  /** Fraction of training pairs whose text is the raw class label instead of the caption. */
  labelTextFraction: number;
  learnTemperature: boolean;
  /** Initial (or fixed) softmax temperature. */
  temperature: number;
  /** Random horizontal flips of training images. */
  flipImages: boolean;
}

export const TOY_CLIP_DEFAULTS: Readonly<ToyClipTrainOptions> = Object.freeze({
  seed: 0,
  steps: 400,
  batchSize: 64,
  learningRate: 2e-3,
  warmupSteps: 30,
  jointDim: 64,
  textWidth: 64,
  maxTokens: 16,
  textLayers: 2,
  textHeads: 4,
  imageChannels: [16, 32, 64],
  imageStrides: [2, 2, 2],
  groups: 8,
  labelTextFraction: 0.5,
  learnTemperature: true,
  temperature: 0.07,
  flipImages: true,
});

/** A seconds-long profile for smoke runs (smaller widths, fewer steps); override any field as usual. */
export const TOY_CLIP_QUICK: Readonly<Partial<ToyClipTrainOptions>> = Object.freeze({
  steps: 60,
  batchSize: 32,
  warmupSteps: 10,
  jointDim: 32,
  textWidth: 32,
  textLayers: 1,
  textHeads: 2,
  imageChannels: [8, 16, 32],
  imageStrides: [2, 2, 2],
  groups: 4,
});

const IMAGE = 'visual';
const TEXT = 'text';
const CHUNK = 64;

function paramSpecs(c: ToyClipConfig): ParamSpec[] {
  const specs = [...convTowerSpecs(IMAGE, c.image), ...textTowerSpecs(TEXT, c.text)];
  specs.push(...logitScaleSpecs(c));
  return specs;
}

export class ToyClip extends ContrastiveToyModel<ToyClipConfig> {
  readonly tokenizer: WordTokenizer;

  private constructor(config: ToyClipConfig, params: ParamStore) {
    super(config, params);
    this.tokenizer = WordTokenizer.fromJson(config.tokenizer);
  }

  static create(config: ToyClipConfig, seed: number): ToyClip {
    checkConfig(config, 'toy-CLIP config');
    return new ToyClip(config, createParams(paramSpecs(config), seed));
  }

  static async load(dir: string): Promise<ToyClip> {
    const config = readModelConfig<ToyClipConfig>(dir, TOY_CLIP_KIND, VERSION);
    checkConfig(config, `${dir}/config.json`);
    return new ToyClip(config, loadParams(paramSpecs(config), weightsPath(dir)));
  }

  get jointDim(): number {
    return this.config.image.jointDim;
  }

  get featureDim(): number {
    return convTowerFeatureDim(this.config.image);
  }

  /** Differentiable: image batch [B, S, S, 3] -> {features [B, C], embeddings [B, D] (not normalised)}. */
  imageForward(x: tf.Tensor4D): { features: tf.Tensor2D; projected: tf.Tensor2D } {
    return convTowerForward(this.params, IMAGE, this.config.image, x);
  }

  /** Differentiable: texts -> {tokens [B, L, W], pooled [B, D] (not normalised)}. */
  textForward(texts: readonly string[]): { tokens: tf.Tensor3D; pooled: tf.Tensor2D } {
    return textTowerForward(this.params, TEXT, this.config.text, textTowerInput(this.tokenizer, texts));
  }

  /** L2-normalised joint-space image embeddings. */
  embedImages(images: readonly RgbImage[]): Promise<Float32Array[]> {
    return inChunks(images, CHUNK, (chunk) => rowsOf(tf.tidy(() => l2Normalize(this.imageForward(imageBatch(chunk, this.config.imageSize)).projected))));
  }

  /** The image tower's pooled penultimate features (the toy world's FID feature space). */
  imageFeatures(images: readonly RgbImage[]): Promise<Float32Array[]> {
    return inChunks(images, CHUNK, (chunk) => rowsOf(tf.tidy(() => this.imageForward(imageBatch(chunk, this.config.imageSize)).features)));
  }

  /** L2-normalised pooled text embeddings in the joint space. */
  embedText(texts: readonly string[]): Promise<Float32Array[]> {
    return inChunks(texts, CHUNK, (chunk) => rowsOf(tf.tidy(() => l2Normalize(this.textForward(chunk).pooled))));
  }

  /** Per-token states, [maxTokens·width] per text (token-major). */
  encodeTokens(texts: readonly string[]): Promise<Float32Array[]> {
    const { maxTokens, width } = this.config.text;
    return inChunks(texts, CHUNK, (chunk) => rowsOf(tf.tidy(() => tf.reshape(this.textForward(chunk).tokens, [chunk.length, maxTokens * width]) as tf.Tensor2D)));
  }
}

function checkConfig(c: ToyClipConfig, where: string): void {
  checkConvTowerConfig(c.image, `${where}: image`);
  checkTextTowerConfig(c.text, where);
  if (c.image.jointDim !== c.text.jointDim) throw new Error(`${where}: image.jointDim ${c.image.jointDim} differs from text.jointDim ${c.text.jointDim}`);
  if (c.image.inChannels !== 3) throw new Error(`${where}: image.inChannels must be 3 (RGB), got ${c.image.inChannels}`);
  if (c.tokenizer.vocab.length !== c.text.vocabSize || c.tokenizer.maxTokens !== c.text.maxTokens) {
    throw new Error(`${where}: tokenizer (${c.tokenizer.vocab.length} words, ${c.tokenizer.maxTokens} tokens) does not match text tower (${c.text.vocabSize}, ${c.text.maxTokens})`);
  }
}

/** Trains toy-CLIP on the manifest's training split (all domains). */
export async function trainToyClip(rows: readonly ToyRow[], options: Partial<ToyClipTrainOptions> = {}, onProgress?: ProgressCallback, signal?: AbortSignal): Promise<ToyClip> {
  const o = resolveOptions(TOY_CLIP_DEFAULTS, options, 'toy-CLIP training');
  const train = splitRows(rows, 'train');
  requireRows(train, 'toy-CLIP training');
  const images = loadImages(train);
  const imageSize = images[0]!.width;
  const tokenizer = WordTokenizer.fromTexts([...train.map((r) => r.caption), ...allClassLabels()], o.maxTokens);
  const jointDim = o.jointDim;
  const config: ToyClipConfig = {
    kind: TOY_CLIP_KIND,
    version: VERSION,
    imageSize,
    image: { inChannels: 3, channels: [...o.imageChannels], strides: [...o.imageStrides], groups: o.groups, jointDim },
    text: { vocabSize: tokenizer.size, maxTokens: o.maxTokens, width: o.textWidth, layers: o.textLayers, heads: o.textHeads, mlpRatio: 4, jointDim },
    tokenizer: tokenizer.toJson(),
    logScale: Math.log(1 / o.temperature),
    learnTemperature: o.learnTemperature,
  };
  const model = ToyClip.create(config, o.seed);
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
      const flips = batch.map(() => o.flipImages && rng.chance(0.5));
      const x = imageBatch(batch.map((i) => images[i]!), imageSize, flips);
      const img = model.imageForward(x).projected;
      const txt = model.textForward(texts).pooled;
      return symmetricInfoNce(img, txt, model.logScale(), texts);
    },
  });
}

export interface ToyClipReport {
  /** Image→text top-1 on the val split, the candidates being the split's unique captions. */
  valImageToTextTop1: number;
  valCaptionCandidates: number;
  /** Zero-shot accuracy with raw label strings, per domain, on the test split. */
  zeroShotAccuracy: Record<string, number>;
  zeroShotChance: Record<string, number>;
  temperature: number;
}

export async function evaluateToyClip(model: ToyClip, rows: readonly ToyRow[]): Promise<ToyClipReport> {
  const logScale = tf.tidy(() => model.logScale().dataSync()[0]!);
  const q = await towerQuality(rows, (r) => model.embedImages(loadImages(r)), (t) => model.embedText(t), logScale);
  return {
    valImageToTextTop1: q.valTop1,
    valCaptionCandidates: q.valCaptionCandidates,
    zeroShotAccuracy: q.zeroShotAccuracy,
    zeroShotChance: q.zeroShotChance,
    temperature: q.temperature,
  };
}

/** The TextEncoder role (SD's text encoder): per-token states and pooled joint-space embeddings. */
export function toyClipTextEncoder(model: ToyClip): TextEncoder {
  return {
    name: 'toy-clip-text',
    maxTokens: model.config.text.maxTokens,
    width: model.config.text.width,
    encodeTokens: (texts) => model.encodeTokens(texts),
    embedText: (texts) => model.embedText(texts),
  };
}

/** The ImageEncoder role (CLIP's image tower, joint space, L2-normalised). */
export function toyClipImageEncoder(model: ToyClip): ImageEncoder {
  return { name: 'toy-clip-image', dim: model.jointDim, embedImages: (images) => model.embedImages(images) };
}

/** FID's feature space in the toy world: the toy-CLIP image tower's pooled penultimate features. */
export function toyClipImageFeatures(model: ToyClip): FeatureExtractor {
  return { name: 'toy-clip-image-features', dim: model.featureDim, features: (images) => model.imageFeatures(images) };
}
