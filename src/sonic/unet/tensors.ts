// Small typed accessors that read a module's parameters by diffusers key and apply the basic layers.
import type * as tf from '@tensorflow/tfjs-core';
import { conv2d, linear, type Conv2dPadding } from '../../compute/ops/index.js';
import { joinKey, type ParamLookup } from './param-spec.js';

/** [weight, bias] of a GroupNorm/LayerNorm. */
export function norm(p: ParamLookup, prefix: string): [tf.Tensor1D, tf.Tensor1D] {
  return [p.get(joinKey(prefix, 'weight')) as tf.Tensor1D, p.get(joinKey(prefix, 'bias')) as tf.Tensor1D];
}

export function conv(p: ParamLookup, prefix: string, x: tf.Tensor4D, padding: Conv2dPadding, stride = 1): tf.Tensor4D {
  return conv2d(x, p.get(joinKey(prefix, 'weight')) as tf.Tensor4D, {
    stride,
    padding,
    bias: p.get(joinKey(prefix, 'bias')) as tf.Tensor1D,
  });
}

export function dense<T extends tf.Tensor2D | tf.Tensor3D>(p: ParamLookup, prefix: string, x: T, bias: boolean): T {
  const w = p.get(joinKey(prefix, 'weight')) as tf.Tensor2D;
  return linear(x, w, bias ? (p.get(joinKey(prefix, 'bias')) as tf.Tensor1D) : null);
}
