// diffusers Transformer2DModel (GroupNorm eps 1e-6; proj_in/proj_out as 1×1 convs (SD 1.x) or, with
// use_linear_projection (SD 2.x), as Linear layers on the tokens; one BasicTransformerBlock) with
// SonicDiffusion's gated audio cross-attention (spec §4):
//   h = h + attn1(norm1(h));  h = h + attn2(norm2(h), text);
//   h = h + tanh(gate_adapter)·attn_adapter(norm_adapter(h), audio)   (only when audio tokens are given)
//   h = h + ff(norm3(h))
import * as tf from '@tensorflow/tfjs-core';
import { geluExact, groupNorm, layerNorm, linear } from '../../compute/ops/index.js';
import type { UNetHooks } from '../noise-predictor.js';
import { Attention } from './attention.js';
import { conv2dSpecs, joinKey, linearSpecs, normSpecs, type ParamLookup, type ParamSpec } from './param-spec.js';
import { conv, dense, norm } from './tensors.js';

const TRANSFORMER_GROUPNORM_EPS = 1e-6;
const LAYERNORM_EPS = 1e-5;
const FF_MULT = 4;

export interface AdapterOptions {
  audioCrossAttentionDim: number;
  heads: number;
}

export interface TransformerOptions {
  channels: number;
  heads: number;
  crossAttentionDim: number;
  groups: number;
  /** Linear proj_in/proj_out applied to tokens (SD 2.x) instead of 1×1 convs applied before flattening (SD 1.x). */
  linearProjection: boolean;
  /** null: a plain SD block without the gated audio adapter. */
  adapter: AdapterOptions | null;
}

export class BasicTransformerBlock {
  readonly attn1: Attention;
  readonly attn2: Attention;
  readonly attnAdapter: Attention | null;

  constructor(readonly prefix: string, readonly dim: number, heads: number, crossAttentionDim: number, readonly adapter: AdapterOptions | null) {
    const k = (n: string): string => joinKey(prefix, n);
    const dimHead = dim / heads;
    this.attn1 = new Attention(k('attn1'), { queryDim: dim, crossAttentionDim: null, heads, dimHead, qkvBias: false });
    this.attn2 = new Attention(k('attn2'), { queryDim: dim, crossAttentionDim, heads, dimHead, qkvBias: false });
    this.attnAdapter =
      adapter === null
        ? null
        : new Attention(k('attn_adapter'), { queryDim: dim, crossAttentionDim: adapter.audioCrossAttentionDim, heads: adapter.heads, dimHead: dim / adapter.heads, qkvBias: false });
  }

  /** The 8 adapter tensors: attn_adapter.to_{q,k,v}.weight, to_out.0.{weight,bias}, norm_adapter.{weight,bias}, gate_adapter. */
  adapterSpecs(): ParamSpec[] {
    if (this.attnAdapter === null) return [];
    return [
      ...this.attnAdapter.specs(),
      ...normSpecs(joinKey(this.prefix, 'norm_adapter'), this.dim),
      // Zero gate: tanh(0) = 0, so a fresh adapter leaves the UNet unchanged (spec §4, Flamingo-style).
      { name: joinKey(this.prefix, 'gate_adapter'), shape: [1], layout: 'plain', init: 'zeros' },
    ];
  }

  specs(): ParamSpec[] {
    const k = (n: string): string => joinKey(this.prefix, n);
    const inner = this.dim * FF_MULT;
    return [
      ...normSpecs(k('norm1'), this.dim),
      ...this.attn1.specs(),
      ...normSpecs(k('norm2'), this.dim),
      ...this.attn2.specs(),
      ...normSpecs(k('norm3'), this.dim),
      ...linearSpecs(k('ff.net.0.proj'), this.dim, 2 * inner, true),
      ...linearSpecs(k('ff.net.2'), inner, this.dim, true),
      ...this.adapterSpecs(),
    ];
  }

  forward(p: ParamLookup, x: tf.Tensor3D, text: tf.Tensor3D, audio: tf.Tensor3D | undefined, hooks?: UNetHooks): tf.Tensor3D {
    const k = (n: string): string => joinKey(this.prefix, n);
    let h = tf.add<tf.Tensor3D>(x, this.attn1.forward(p, this.layerNorm(p, 'norm1', x), undefined, hooks));
    h = tf.add<tf.Tensor3D>(h, this.attn2.forward(p, this.layerNorm(p, 'norm2', h), text));
    if (audio !== undefined && this.attnAdapter !== null) {
      const adapted = this.attnAdapter.forward(p, this.layerNorm(p, 'norm_adapter', h), audio);
      h = tf.add<tf.Tensor3D>(h, tf.mul(tf.tanh(p.get(k('gate_adapter'))), adapted));
    }
    return tf.add<tf.Tensor3D>(h, this.feedForward(p, this.layerNorm(p, 'norm3', h)));
  }

  private layerNorm(p: ParamLookup, name: string, x: tf.Tensor3D): tf.Tensor3D {
    return layerNorm<tf.Tensor3D>(x, ...norm(p, joinKey(this.prefix, name)), LAYERNORM_EPS);
  }

  /**
   * GEGLU: proj -> [hidden | gate], hidden·gelu(gate), then net.2. The projection's weight and bias are split
   * instead of its output: the same products, without a column split of a [tokens, 2·inner] activation (a
   * slow strided copy on wasm, and a concat in the backward pass).
   */
  private feedForward(p: ParamLookup, x: tf.Tensor3D): tf.Tensor3D {
    const proj = joinKey(this.prefix, 'ff.net.0.proj');
    const [wHidden, wGate] = tf.split(p.get(`${proj}.weight`), 2, 1) as [tf.Tensor2D, tf.Tensor2D];
    const [bHidden, bGate] = tf.split(p.get(`${proj}.bias`), 2, 0) as [tf.Tensor1D, tf.Tensor1D];
    const hidden = linear(x, wHidden, bHidden);
    const gate = linear(x, wGate, bGate);
    return dense(p, joinKey(this.prefix, 'ff.net.2'), tf.mul(hidden, geluExact(gate)), true);
  }
}

export class Transformer2DModel {
  readonly block: BasicTransformerBlock;

  constructor(readonly prefix: string, readonly options: TransformerOptions) {
    this.block = new BasicTransformerBlock(joinKey(prefix, 'transformer_blocks.0'), options.channels, options.heads, options.crossAttentionDim, options.adapter);
  }

  specs(): ParamSpec[] {
    const c = this.options.channels;
    const k = (n: string): string => joinKey(this.prefix, n);
    const projection = (name: string): ParamSpec[] => (this.options.linearProjection ? linearSpecs(k(name), c, c, true) : conv2dSpecs(k(name), c, c, 1));
    return [...normSpecs(k('norm'), c), ...projection('proj_in'), ...this.block.specs(), ...projection('proj_out')];
  }

  forward(p: ParamLookup, x: tf.Tensor4D, text: tf.Tensor3D, audio: tf.Tensor3D | undefined, hooks?: UNetHooks): tf.Tensor4D {
    return tf.tidy(() => this.run(p, x, text, audio, hooks));
  }

  private run(p: ParamLookup, x: tf.Tensor4D, text: tf.Tensor3D, audio: tf.Tensor3D | undefined, hooks: UNetHooks | undefined): tf.Tensor4D {
    const [b, h, w, c] = x.shape;
    const k = (n: string): string => joinKey(this.prefix, n);
    const normed = groupNorm(x, this.options.groups, ...norm(p, k('norm')), TRANSFORMER_GROUPNORM_EPS);
    if (this.options.linearProjection) {
      let tokens = dense(p, k('proj_in'), tf.reshape(normed, [b, h * w, c]) as tf.Tensor3D, true);
      tokens = this.block.forward(p, tokens, text, audio, hooks);
      return tf.add(tf.reshape(dense(p, k('proj_out'), tokens, true), [b, h, w, c]), x);
    }
    let tokens = tf.reshape(conv(p, k('proj_in'), normed, 0), [b, h * w, c]) as tf.Tensor3D;
    tokens = this.block.forward(p, tokens, text, audio, hooks);
    return tf.add(conv(p, k('proj_out'), tf.reshape(tokens, [b, h, w, c]) as tf.Tensor4D, 0), x);
  }
}
