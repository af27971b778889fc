// UNet2DCondition: diffusers' UNet2DConditionModel for the SD 1.x/2.x family on NHWC tensors, with the
// SonicDiffusion gated audio adapters. Parameters are looked up by their diffusers state_dict keys, so
// SD-1.4's unet/diffusion_pytorch_model.safetensors and the official adapter checkpoints load unchanged.
import * as tf from '@tensorflow/tfjs-core';
import { conv2d, groupNormSilu, silu, timestepEmbedding } from '../../compute/ops/index.js';
import { isAdapterKey } from '../../compute/weight-keys.js';
import type { NoisePredictor, NoisePredictorInput } from '../noise-predictor.js';
import { DownBlock, MidBlock, UpBlock, type BlockContext, type BlockShape } from './blocks.js';
import { headsPerBlock, validateUNetConfig, type UNetConfig } from './config.js';
import { conv2dSpecs, countParams, linearSpecs, normSpecs, type ParamLookup, type ParamSpec } from './param-spec.js';
import { conv, dense, norm } from './tensors.js';
import type { AdapterOptions } from './transformer.js';

/** The module tree of a config: built without tensors, so specs/counts of SD-1.4 cost nothing. */
class UNetArchitecture {
  readonly downBlocks: DownBlock[] = [];
  readonly midBlock: MidBlock;
  readonly upBlocks: UpBlock[] = [];
  readonly timeEmbedDim: number;

  constructor(readonly config: UNetConfig) {
    validateUNetConfig(config);
    const channels = config.blockOutChannels;
    const n = channels.length;
    const heads = headsPerBlock(config);
    this.timeEmbedDim = channels[0]! * 4;
    const adapter: AdapterOptions = { audioCrossAttentionDim: config.audioCrossAttentionDim, heads: config.adapterHeads };
    const [adaptDown, adaptMid, adaptUp] = config.useAdapter;
    const shape = (withAttention: boolean, blockHeads: number, adapted: boolean): BlockShape => ({
      tembChannels: this.timeEmbedDim,
      groups: config.normNumGroups,
      eps: config.normEps,
      crossAttentionDim: config.crossAttentionDim,
      heads: blockHeads,
      linearProjection: config.useLinearProjection ?? false,
      withAttention,
      adapter: adapted && withAttention ? adapter : null,
    });

    let outputChannels = channels[0]!;
    config.downBlockTypes.forEach((type, i) => {
      const inputChannels = outputChannels;
      outputChannels = channels[i]!;
      const s = shape(type === 'CrossAttnDownBlock2D', heads[i]!, adaptDown);
      this.downBlocks.push(new DownBlock(`down_blocks.${i}`, inputChannels, outputChannels, config.layersPerBlock, i < n - 1, s));
    });

    this.midBlock = new MidBlock('mid_block', channels[n - 1]!, shape(true, heads[n - 1]!, adaptMid));

    const reversed = [...channels].reverse();
    const reversedHeads = [...heads].reverse();
    outputChannels = reversed[0]!;
    config.upBlockTypes.forEach((type, i) => {
      const prevOutputChannels = outputChannels;
      outputChannels = reversed[i]!;
      const inputChannels = reversed[Math.min(i + 1, n - 1)]!;
      const s = shape(type === 'CrossAttnUpBlock2D', reversedHeads[i]!, adaptUp);
      this.upBlocks.push(new UpBlock(`up_blocks.${i}`, inputChannels, prevOutputChannels, outputChannels, config.layersPerBlock + 1, i < n - 1, s));
    });
  }

  specs(): ParamSpec[] {
    const c = this.config;
    const c0 = c.blockOutChannels[0]!;
    return [
      ...conv2dSpecs('conv_in', c.inChannels, c0, 3),
      ...linearSpecs('time_embedding.linear_1', c0, this.timeEmbedDim, true),
      ...linearSpecs('time_embedding.linear_2', this.timeEmbedDim, this.timeEmbedDim, true),
      ...this.downBlocks.flatMap((b) => b.specs()),
      ...this.upBlocks.flatMap((b) => b.specs()),
      ...this.midBlock.specs(),
      ...normSpecs('conv_norm_out', c0),
      ...conv2dSpecs('conv_out', c0, c.outChannels, 3),
    ];
  }
}

/** attn_adapter / norm_adapter / gate_adapter tensors (the official adapter checkpoints hold exactly these). */
export const isAdapterParam: (name: string) => boolean = isAdapterKey;

export class UNet2DCondition implements NoisePredictor {
  private readonly arch: UNetArchitecture;

  /** `params` must hold every name of `UNet2DCondition.paramSpecs(config)` with its tfjs shape. */
  constructor(readonly config: UNetConfig, readonly params: ParamLookup) {
    this.arch = new UNetArchitecture(config);
  }

  /** Every parameter (diffusers key, tfjs shape, TorchLayout, init), frozen SD weights and adapters alike. */
  static paramSpecs(config: UNetConfig): ParamSpec[] {
    return new UNetArchitecture(config).specs();
  }

  /** The gated-adapter tensors only (8 per adapted transformer block; SD-1.4: 80 tensors, 28,491,210 values). */
  static adapterParamSpecs(config: UNetConfig): ParamSpec[] {
    return UNet2DCondition.paramSpecs(config).filter((s) => isAdapterParam(s.name));
  }

  static adapterParameterNames(config: UNetConfig): string[] {
    return UNet2DCondition.adapterParamSpecs(config).map((s) => s.name);
  }

  static parameterCount(config: UNetConfig): { total: number; adapter: number } {
    const specs = UNet2DCondition.paramSpecs(config);
    return { total: countParams(specs), adapter: countParams(specs.filter((s) => isAdapterParam(s.name))) };
  }

  /**
   * ε prediction for NHWC latents. Differentiable (on wasm too) w.r.t. every parameter held as a variable;
   * the caller owns tidying (wrap in tf.tidy, or in tf.variableGrads / optimizer.minimize for training).
   */
  predict(input: NoisePredictorInput): tf.Tensor4D {
    const { sample, textTokens, audioTokens, hooks } = input;
    const c = this.config;
    const p = this.params;
    this.checkInput(input);
    const batch = sample.shape[0];

    const temb = dense(p, 'time_embedding.linear_2', silu(dense(p, 'time_embedding.linear_1', this.timeProjection(input.timestep, batch), true)), true);
    const ctx: BlockContext = { temb, text: textTokens, audio: audioTokens, hooks };

    let h = conv(p, 'conv_in', sample, 1);
    const skips: tf.Tensor4D[] = [h];
    for (const block of this.arch.downBlocks) {
      const out = block.forward(p, h, ctx);
      h = out.h;
      skips.push(...out.skips);
    }
    h = this.arch.midBlock.forward(p, h, ctx);
    for (const block of this.arch.upBlocks) h = block.forward(p, h, skips, ctx);

    h = groupNormSilu(h, c.normNumGroups, ...norm(p, 'conv_norm_out'), c.normEps);
    return conv2d(h, p.get('conv_out.weight') as tf.Tensor4D, { padding: 1, bias: p.get('conv_out.bias') as tf.Tensor1D });
  }

  /** diffusers Timesteps: sinusoids of width blockOutChannels[0], one row per sample. */
  private timeProjection(timestep: number | tf.Tensor1D, batch: number): tf.Tensor2D {
    const c = this.config;
    const options = { flipSinToCos: c.flipSinToCos, downscaleFreqShift: c.freqShift };
    const emb = timestepEmbedding(timestep, c.blockOutChannels[0]!, options);
    if (emb.shape[0] === batch) return emb;
    if (emb.shape[0] === 1) return tf.tile(emb, [batch, 1]);
    throw new Error(`UNet2DCondition.predict: got ${emb.shape[0]} timesteps for a batch of ${batch} (give one, or one per sample)`);
  }

  private checkInput({ sample, textTokens, audioTokens }: NoisePredictorInput): void {
    const c = this.config;
    const [b, h, w, ch] = sample.shape;
    const factor = 2 ** (c.blockOutChannels.length - 1);
    const where = 'UNet2DCondition.predict';
    if (ch !== c.inChannels) throw new Error(`${where}: sample has ${ch} channels (NHWC [${sample.shape}]) but inChannels is ${c.inChannels}`);
    if (h % factor !== 0 || w % factor !== 0) throw new Error(`${where}: sample ${h}×${w} must be divisible by ${factor} (2^(blocks−1))`);
    if (textTokens.shape[0] !== b || textTokens.shape[2] !== c.crossAttentionDim) {
      throw new Error(`${where}: textTokens [${textTokens.shape}] must be [${b}, L, ${c.crossAttentionDim}]`);
    }
    if (audioTokens && (audioTokens.shape[0] !== b || audioTokens.shape[2] !== c.audioCrossAttentionDim)) {
      throw new Error(`${where}: audioTokens [${audioTokens.shape}] must be [${b}, K, ${c.audioCrossAttentionDim}]`);
    }
  }
}
