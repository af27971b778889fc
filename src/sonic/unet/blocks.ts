// The UNet's down, mid and up blocks (diffusers unet_2d_blocks: CrossAttnDownBlock2D / DownBlock2D,
// UNetMidBlock2DCrossAttn, UpBlock2D / CrossAttnUpBlock2D), NHWC.
import * as tf from '@tensorflow/tfjs-core';
import type { UNetHooks } from '../noise-predictor.js';
import { joinKey, type ParamLookup, type ParamSpec } from './param-spec.js';
import { Downsample2D, ResnetBlock2D, Upsample2D } from './resnet.js';
import { Transformer2DModel, type AdapterOptions } from './transformer.js';

export interface BlockContext {
  temb: tf.Tensor2D;
  text: tf.Tensor3D;
  audio: tf.Tensor3D | undefined;
  hooks: UNetHooks | undefined;
}

export interface BlockShape {
  tembChannels: number;
  groups: number;
  eps: number;
  crossAttentionDim: number;
  heads: number;
  linearProjection: boolean;
  /** Attention with its transformer blocks; false for DownBlock2D / UpBlock2D. */
  withAttention: boolean;
  adapter: AdapterOptions | null;
}

function transformer(prefix: string, i: number, channels: number, shape: BlockShape): Transformer2DModel {
  return new Transformer2DModel(joinKey(prefix, `attentions.${i}`), {
    channels,
    heads: shape.heads,
    crossAttentionDim: shape.crossAttentionDim,
    groups: shape.groups,
    linearProjection: shape.linearProjection,
    adapter: shape.adapter,
  });
}

function resnet(prefix: string, i: number, inChannels: number, outChannels: number, shape: BlockShape): ResnetBlock2D {
  return new ResnetBlock2D(joinKey(prefix, `resnets.${i}`), { inChannels, outChannels, tembChannels: shape.tembChannels, groups: shape.groups, eps: shape.eps });
}

export class DownBlock {
  readonly resnets: ResnetBlock2D[] = [];
  readonly attentions: Transformer2DModel[] = [];
  readonly downsampler: Downsample2D | null;

  constructor(readonly prefix: string, inChannels: number, outChannels: number, layers: number, addDownsample: boolean, shape: BlockShape) {
    for (let i = 0; i < layers; i++) {
      this.resnets.push(resnet(prefix, i, i === 0 ? inChannels : outChannels, outChannels, shape));
      if (shape.withAttention) this.attentions.push(transformer(prefix, i, outChannels, shape));
    }
    this.downsampler = addDownsample ? new Downsample2D(joinKey(prefix, 'downsamplers.0'), outChannels, false) : null;
  }

  specs(): ParamSpec[] {
    return [...this.resnets.flatMap((r) => r.specs()), ...this.attentions.flatMap((a) => a.specs()), ...(this.downsampler?.specs() ?? [])];
  }

  /** Returns the block output and the skip tensors it contributes (one per layer, plus the downsampled one). */
  forward(p: ParamLookup, x: tf.Tensor4D, ctx: BlockContext): { h: tf.Tensor4D; skips: tf.Tensor4D[] } {
    const skips: tf.Tensor4D[] = [];
    let h = x;
    this.resnets.forEach((r, i) => {
      h = r.forward(p, h, ctx.temb, ctx.hooks);
      const attention = this.attentions[i];
      if (attention) h = attention.forward(p, h, ctx.text, ctx.audio, ctx.hooks);
      skips.push(h);
    });
    if (this.downsampler) {
      h = this.downsampler.forward(p, h);
      skips.push(h);
    }
    return { h, skips };
  }
}

export class MidBlock {
  readonly resnets: ResnetBlock2D[];
  readonly attention: Transformer2DModel;

  constructor(readonly prefix: string, channels: number, shape: BlockShape) {
    this.resnets = [resnet(prefix, 0, channels, channels, shape), resnet(prefix, 1, channels, channels, shape)];
    this.attention = transformer(prefix, 0, channels, shape);
  }

  specs(): ParamSpec[] {
    return [...this.resnets.flatMap((r) => r.specs()), ...this.attention.specs()];
  }

  forward(p: ParamLookup, x: tf.Tensor4D, ctx: BlockContext): tf.Tensor4D {
    let h = this.resnets[0]!.forward(p, x, ctx.temb, ctx.hooks);
    h = this.attention.forward(p, h, ctx.text, ctx.audio, ctx.hooks);
    return this.resnets[1]!.forward(p, h, ctx.temb, ctx.hooks);
  }
}

export class UpBlock {
  readonly resnets: ResnetBlock2D[] = [];
  readonly attentions: Transformer2DModel[] = [];
  readonly upsampler: Upsample2D | null;

  /**
   * diffusers' channel bookkeeping: resnet j takes (j = 0 ? prevOutput : out) channels plus a skip of
   * (j = last ? in : out) channels.
   */
  constructor(readonly prefix: string, inChannels: number, prevOutputChannels: number, outChannels: number, layers: number, addUpsample: boolean, shape: BlockShape) {
    for (let i = 0; i < layers; i++) {
      const skipChannels = i === layers - 1 ? inChannels : outChannels;
      const resnetIn = i === 0 ? prevOutputChannels : outChannels;
      this.resnets.push(resnet(prefix, i, resnetIn + skipChannels, outChannels, shape));
      if (shape.withAttention) this.attentions.push(transformer(prefix, i, outChannels, shape));
    }
    this.upsampler = addUpsample ? new Upsample2D(joinKey(prefix, 'upsamplers.0'), outChannels) : null;
  }

  specs(): ParamSpec[] {
    return [...this.resnets.flatMap((r) => r.specs()), ...this.attentions.flatMap((a) => a.specs()), ...(this.upsampler?.specs() ?? [])];
  }

  /** `skips` is the shared stack; this block pops one skip per resnet from its end. */
  forward(p: ParamLookup, x: tf.Tensor4D, skips: tf.Tensor4D[], ctx: BlockContext): tf.Tensor4D {
    let h = x;
    this.resnets.forEach((r, i) => {
      const skip = skips.pop();
      if (!skip) throw new Error(`${this.prefix}: ran out of skip connections`);
      h = r.forward(p, tf.concat([h, skip], 3), ctx.temb, ctx.hooks);
      const attention = this.attentions[i];
      if (attention) h = attention.forward(p, h, ctx.text, ctx.audio, ctx.hooks);
    });
    return this.upsampler ? this.upsampler.forward(p, h) : h;
  }
}
