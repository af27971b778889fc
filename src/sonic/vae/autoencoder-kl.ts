// diffusers AutoencoderKL (SD-1.x VAE) on NHWC tensors. Parameter names are the diffusers state_dict keys
// (new attention naming: mid_block.attentions.0.{group_norm,to_q,to_k,to_v,to_out.0}).
import * as tf from '@tensorflow/tfjs-core';
import { groupNorm, groupNormSilu } from '../../compute/ops/index.js';
import { Attention } from '../unet/attention.js';
import { conv2dSpecs, joinKey, normSpecs, type ParamLookup, type ParamSpec } from '../unet/param-spec.js';
import { Downsample2D, ResnetBlock2D, Upsample2D } from '../unet/resnet.js';
import { conv, norm } from '../unet/tensors.js';
import { validateAutoencoderKLConfig, type AutoencoderKLConfig } from './config.js';

const VAE_EPS = 1e-6;

/** UNetMidBlock2D as the VAE uses it: resnet, single-head spatial self-attention with a residual, resnet. */
class VaeMidBlock {
  readonly resnets: ResnetBlock2D[];
  readonly attention: Attention;

  constructor(readonly prefix: string, readonly channels: number, readonly groups: number) {
    const resnet = (i: number): ResnetBlock2D =>
      new ResnetBlock2D(joinKey(prefix, `resnets.${i}`), { inChannels: channels, outChannels: channels, tembChannels: null, groups, eps: VAE_EPS });
    this.resnets = [resnet(0), resnet(1)];
    this.attention = new Attention(joinKey(prefix, 'attentions.0'), { queryDim: channels, crossAttentionDim: null, heads: 1, dimHead: channels, qkvBias: true });
  }

  specs(): ParamSpec[] {
    return [...this.resnets[0]!.specs(), ...normSpecs(joinKey(this.attention.prefix, 'group_norm'), this.channels), ...this.attention.specs(), ...this.resnets[1]!.specs()];
  }

  forward(p: ParamLookup, x: tf.Tensor4D): tf.Tensor4D {
    const h = this.resnets[0]!.forward(p, x, null);
    const [b, hh, w, c] = h.shape;
    const normed = groupNorm(h, this.groups, ...norm(p, joinKey(this.attention.prefix, 'group_norm')), VAE_EPS);
    const attended = this.attention.forward(p, tf.reshape(normed, [b, hh * w, c]) as tf.Tensor3D);
    return this.resnets[1]!.forward(p, tf.add(h, tf.reshape(attended, [b, hh, w, c])), null);
  }
}

interface ResampleStage {
  resnets: ResnetBlock2D[];
  resample: Downsample2D | Upsample2D | null;
}

function resnetChain(prefix: string, inChannels: number, outChannels: number, layers: number, groups: number): ResnetBlock2D[] {
  return Array.from(
    { length: layers },
    (_, i) => new ResnetBlock2D(joinKey(prefix, `resnets.${i}`), { inChannels: i === 0 ? inChannels : outChannels, outChannels, tembChannels: null, groups, eps: VAE_EPS }),
  );
}

function stageSpecs(stages: ResampleStage[]): ParamSpec[] {
  return stages.flatMap((s) => [...s.resnets.flatMap((r) => r.specs()), ...(s.resample?.specs() ?? [])]);
}

function runStage(p: ParamLookup, stage: ResampleStage, x: tf.Tensor4D): tf.Tensor4D {
  let h = x;
  for (const r of stage.resnets) h = r.forward(p, h, null);
  return stage.resample ? stage.resample.forward(p, h) : h;
}

export class AutoencoderKL {
  private readonly downStages: ResampleStage[] = [];
  private readonly upStages: ResampleStage[] = [];
  private readonly encoderMid: VaeMidBlock;
  private readonly decoderMid: VaeMidBlock;

  /** `params` must hold every name of `AutoencoderKL.paramSpecs(config)`. */
  constructor(readonly config: AutoencoderKLConfig, readonly params: ParamLookup) {
    validateAutoencoderKLConfig(config);
    const { blockOutChannels: channels, layersPerBlock, normNumGroups: groups } = config;
    const n = channels.length;
    let out = channels[0]!;
    channels.forEach((c, i) => {
      const prefix = `encoder.down_blocks.${i}`;
      const inCh = out;
      out = c;
      this.downStages.push({
        resnets: resnetChain(prefix, inCh, out, layersPerBlock, groups),
        resample: i < n - 1 ? new Downsample2D(joinKey(prefix, 'downsamplers.0'), out, true) : null,
      });
    });
    this.encoderMid = new VaeMidBlock('encoder.mid_block', channels[n - 1]!, groups);
    this.decoderMid = new VaeMidBlock('decoder.mid_block', channels[n - 1]!, groups);
    const reversed = [...channels].reverse();
    out = reversed[0]!;
    reversed.forEach((c, i) => {
      const prefix = `decoder.up_blocks.${i}`;
      const inCh = out;
      out = c;
      this.upStages.push({
        resnets: resnetChain(prefix, inCh, out, layersPerBlock + 1, groups),
        resample: i < n - 1 ? new Upsample2D(joinKey(prefix, 'upsamplers.0'), out) : null,
      });
    });
  }

  static paramSpecs(config: AutoencoderKLConfig): ParamSpec[] {
    return new AutoencoderKL(config, { get: () => { throw new Error('paramSpecs reads no tensors'); } }).specs();
  }

  /** Spatial downsampling factor between images and latents (SD: 8). */
  get downsampleFactor(): number {
    return 2 ** (this.config.blockOutChannels.length - 1);
  }

  private specs(): ParamSpec[] {
    const c = this.config;
    const first = c.blockOutChannels[0]!;
    const last = c.blockOutChannels[c.blockOutChannels.length - 1]!;
    const l = c.latentChannels;
    return [
      ...conv2dSpecs('encoder.conv_in', c.inChannels, first, 3),
      ...stageSpecs(this.downStages),
      ...this.encoderMid.specs(),
      ...normSpecs('encoder.conv_norm_out', last),
      ...conv2dSpecs('encoder.conv_out', last, 2 * l, 3),
      ...conv2dSpecs('decoder.conv_in', l, last, 3),
      ...this.decoderMid.specs(),
      ...stageSpecs(this.upStages),
      ...normSpecs('decoder.conv_norm_out', first),
      ...conv2dSpecs('decoder.conv_out', first, c.outChannels, 3),
      ...conv2dSpecs('quant_conv', 2 * l, 2 * l, 1),
      ...conv2dSpecs('post_quant_conv', l, l, 1),
    ];
  }

  /** Posterior moments of NHWC images in [−1, 1]: mean and log-variance, each [B, H/f, W/f, latentChannels]. */
  encodeMoments(x: tf.Tensor4D): { mean: tf.Tensor4D; logvar: tf.Tensor4D } {
    const c = this.config;
    const p = this.params;
    const [, h, w, ch] = x.shape;
    const f = this.downsampleFactor;
    if (ch !== c.inChannels) throw new Error(`AutoencoderKL.encode: image has ${ch} channels (NHWC [${x.shape}]) but inChannels is ${c.inChannels}`);
    if (h % f !== 0 || w % f !== 0) throw new Error(`AutoencoderKL.encode: image ${h}×${w} must be divisible by ${f}`);
    let y = conv(p, 'encoder.conv_in', x, 1);
    for (const stage of this.downStages) y = runStage(p, stage, y);
    y = this.encoderMid.forward(p, y);
    y = groupNormSilu(y, c.normNumGroups, ...norm(p, 'encoder.conv_norm_out'), VAE_EPS);
    y = conv(p, 'quant_conv', conv(p, 'encoder.conv_out', y, 1), 0);
    const [mean, logvar] = tf.split(y, 2, 3) as [tf.Tensor4D, tf.Tensor4D];
    return { mean, logvar };
  }

  /** Posterior mean (unscaled; multiply by scalingFactor, see scaleLatents, before diffusion). */
  encode(x: tf.Tensor4D): tf.Tensor4D {
    return this.encodeMoments(x).mean;
  }

  /** Unscaled latents [B, h, w, latentChannels] -> NHWC images (≈[−1, 1]). */
  decode(z: tf.Tensor4D): tf.Tensor4D {
    const c = this.config;
    const p = this.params;
    if (z.shape[3] !== c.latentChannels) throw new Error(`AutoencoderKL.decode: latents have ${z.shape[3]} channels but latentChannels is ${c.latentChannels}`);
    let y = conv(p, 'decoder.conv_in', conv(p, 'post_quant_conv', z, 0), 1);
    y = this.decoderMid.forward(p, y);
    for (const stage of this.upStages) y = runStage(p, stage, y);
    y = groupNormSilu(y, c.normNumGroups, ...norm(p, 'decoder.conv_norm_out'), VAE_EPS);
    return conv(p, 'decoder.conv_out', y, 1);
  }

  /** posterior mean -> diffusion latents (× scalingFactor). */
  scaleLatents(mean: tf.Tensor4D): tf.Tensor4D {
    return tf.mul(mean, this.config.scalingFactor);
  }

  /** diffusion latents -> decoder input (÷ scalingFactor). */
  unscaleLatents(latents: tf.Tensor4D): tf.Tensor4D {
    return tf.div(latents, this.config.scalingFactor);
  }
}
