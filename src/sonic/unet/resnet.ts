// diffusers ResnetBlock2D (default time-embedding norm, output_scale_factor 1) and the 2× resamplers, NHWC.
import * as tf from '@tensorflow/tfjs-core';
import { groupNormSilu, silu, upsampleNearest2x } from '../../compute/ops/index.js';
import type { UNetHooks } from '../noise-predictor.js';
import { conv2dSpecs, joinKey, linearSpecs, normSpecs, type ParamLookup, type ParamSpec } from './param-spec.js';
import { conv, dense, norm } from './tensors.js';

export interface ResnetOptions {
  inChannels: number;
  outChannels: number;
  /** Width of the time embedding; null for the VAE's resnets, which have no time_emb_proj. */
  tembChannels: number | null;
  groups: number;
  eps: number;
}

export class ResnetBlock2D {
  constructor(readonly prefix: string, readonly options: ResnetOptions) {}

  get hasShortcut(): boolean {
    return this.options.inChannels !== this.options.outChannels;
  }

  specs(): ParamSpec[] {
    const { inChannels, outChannels, tembChannels } = this.options;
    const k = (n: string): string => joinKey(this.prefix, n);
    return [
      ...normSpecs(k('norm1'), inChannels),
      ...conv2dSpecs(k('conv1'), inChannels, outChannels, 3),
      ...(tembChannels === null ? [] : linearSpecs(k('time_emb_proj'), tembChannels, outChannels, true)),
      ...normSpecs(k('norm2'), outChannels),
      ...conv2dSpecs(k('conv2'), outChannels, outChannels, 3),
      ...(this.hasShortcut ? conv2dSpecs(k('conv_shortcut'), inChannels, outChannels, 1) : []),
    ];
  }

  /** Runs in its own tf.tidy; a resnetResidual hook that stores its input must tf.keep it. */
  forward(p: ParamLookup, x: tf.Tensor4D, temb: tf.Tensor2D | null, hooks?: UNetHooks): tf.Tensor4D {
    return tf.tidy(() => this.run(p, x, temb, hooks));
  }

  private run(p: ParamLookup, x: tf.Tensor4D, temb: tf.Tensor2D | null, hooks: UNetHooks | undefined): tf.Tensor4D {
    const { groups, eps, outChannels } = this.options;
    const k = (n: string): string => joinKey(this.prefix, n);
    let h = groupNormSilu(x, groups, ...norm(p, k('norm1')), eps);
    h = conv(p, k('conv1'), h, 1);
    if (temb !== null && this.options.tembChannels !== null) {
      const t = dense(p, k('time_emb_proj'), silu(temb), true);
      h = tf.add(h, tf.reshape(t, [t.shape[0], 1, 1, outChannels]));
    }
    h = groupNormSilu(h, groups, ...norm(p, k('norm2')), eps);
    h = conv(p, k('conv2'), h, 1);
    if (hooks?.resnetResidual) h = hooks.resnetResidual(this.prefix, h);
    const shortcut = this.hasShortcut ? conv(p, k('conv_shortcut'), x, 0) : x;
    return tf.add(shortcut, h);
  }
}

/** Downsample2D with use_conv: a 3×3 stride-2 conv; `asymmetricPad` is the VAE's F.pad(0,1,0,1) + padding 0. */
export class Downsample2D {
  constructor(readonly prefix: string, readonly channels: number, readonly asymmetricPad: boolean) {}

  specs(): ParamSpec[] {
    return conv2dSpecs(joinKey(this.prefix, 'conv'), this.channels, this.channels, 3);
  }

  forward(p: ParamLookup, x: tf.Tensor4D): tf.Tensor4D {
    const padding: [[number, number], [number, number]] = this.asymmetricPad ? [[0, 1], [0, 1]] : [[1, 1], [1, 1]];
    return conv(p, joinKey(this.prefix, 'conv'), x, padding, 2);
  }
}

/** Upsample2D with use_conv: nearest ×2 then a 3×3 conv. */
export class Upsample2D {
  constructor(readonly prefix: string, readonly channels: number) {}

  specs(): ParamSpec[] {
    return conv2dSpecs(joinKey(this.prefix, 'conv'), this.channels, this.channels, 3);
  }

  forward(p: ParamLookup, x: tf.Tensor4D): tf.Tensor4D {
    return conv(p, joinKey(this.prefix, 'conv'), upsampleNearest2x(x), 1);
  }
}
