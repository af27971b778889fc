// The small CNN both toy image and audio towers use: 3×3 convolutions, each followed by GroupNorm and SiLU, then a global average pool (the "penultimate" features)
// and a linear projection into the joint space. Convs use compute/ops' wasm-safe custom-gradient conv2d.
import * as tf from '@tensorflow/tfjs-core';
import { conv2d, groupNormSilu, linear } from '../../compute/ops/index.js';
import type { ParamStore } from '../../compute/param-store.js';
import { get1d, get2d, get4d, linearSpecs, normSpecs, type ParamSpec } from './param-specs.js';

export interface ConvTowerConfig {
  inChannels: number;
  /** Output channels per conv. */
  channels: number[];
  /** Stride per conv (1 keeps the resolution, 2 halves it). */
  strides: number[];
  /** GroupNorm groups (must divide every channel count). */
  groups: number;
  jointDim: number;
}

export function checkConvTowerConfig(c: ConvTowerConfig, where: string): void {
  if (!Number.isInteger(c.inChannels) || c.inChannels < 1) throw new Error(`${where}: inChannels must be a positive integer, got ${String(c.inChannels)}`);
  if (!Array.isArray(c.channels) || c.channels.length === 0) throw new Error(`${where}: channels must be a non-empty list of integers`);
  for (const ch of c.channels) {
    if (!Number.isInteger(ch) || ch < 1) throw new Error(`${where}: channels must be positive integers, got ${JSON.stringify(c.channels)}`);
    if (ch % c.groups !== 0) throw new Error(`${where}: channel count ${ch} is not divisible by groups ${c.groups}`);
  }
  if (!Array.isArray(c.strides) || c.strides.length !== c.channels.length || !c.strides.every((st) => st === 1 || st === 2)) {
    throw new Error(`${where}: strides must list 1 or 2 for each of the ${c.channels.length} convs, got ${JSON.stringify(c.strides)}`);
  }
  if (!Number.isInteger(c.jointDim) || c.jointDim < 1) throw new Error(`${where}: jointDim must be a positive integer, got ${String(c.jointDim)}`);
}

export function convTowerSpecs(prefix: string, c: ConvTowerConfig): ParamSpec[] {
  const specs: ParamSpec[] = [];
  let cin = c.inChannels;
  c.channels.forEach((cout, i) => {
    const fanIn = 9 * cin;
    specs.push({ name: `${prefix}.conv.${i}.weight`, shape: [3, 3, cin, cout], layout: 'conv2d', init: 'uniform', fanIn });
    specs.push({ name: `${prefix}.conv.${i}.bias`, shape: [cout], layout: 'plain', init: 'uniform', fanIn });
    specs.push(...normSpecs(`${prefix}.norm.${i}`, cout));
    cin = cout;
  });
  specs.push(...linearSpecs(`${prefix}.projection`, cin, c.jointDim));
  return specs;
}

/** Penultimate width (the pooled feature size). */
export function convTowerFeatureDim(c: ConvTowerConfig): number {
  return c.channels[c.channels.length - 1]!;
}

/** x: NHWC data (no gradient flows into it). Returns pooled features [B, C] and their projection [B, D] (not normalised). */
export function convTowerForward(p: ParamStore, prefix: string, c: ConvTowerConfig, x: tf.Tensor4D): { features: tf.Tensor2D; projected: tf.Tensor2D } {
  let h = x;
  c.channels.forEach((_, i) => {
    const w = get4d(p, `${prefix}.conv.${i}.weight`);
    const bias = get1d(p, `${prefix}.conv.${i}.bias`);
    // conv2d's gradients are lazy, so the first conv never computes a gradient for the data it reads.
    const y = conv2d(h, w, { stride: c.strides[i]!, padding: 1, bias });
    h = groupNormSilu(y, c.groups, get1d(p, `${prefix}.norm.${i}.weight`), get1d(p, `${prefix}.norm.${i}.bias`));
  });
  const features = tf.mean(h, [1, 2]) as tf.Tensor2D;
  const projected = linear(features, get2d(p, `${prefix}.projection.weight`), get1d(p, `${prefix}.projection.bias`));
  return { features, projected };
}
