// Wires the real UNet into stage 2: its gated-adapter parameters are the trainable group, and the
// projector's token width must match the adapters' audio cross-attention width.
import * as tf from '@tensorflow/tfjs-core';
import { UNet2DCondition } from '../unet/unet2d-condition.js';
import type { AudioProjector } from '../projector/audio-projector.js';
import type { Stage2Model } from './stage2.js';

/**
 * `unet.params` must hand out trainable tf.Variables for every adapter parameter (and may hand out plain
 * tensors for the frozen SD weights).
 */
export function stage2ModelFromUNet(unet: UNet2DCondition, projector: AudioProjector): Stage2Model {
  const { audioCrossAttentionDim, useAdapter } = unet.config;
  if (!useAdapter.some(Boolean)) throw new Error('stage 2: the UNet config has no gated audio adapters (useAdapter is all false)');
  if (projector.dims.outputDim !== audioCrossAttentionDim) {
    throw new Error(`stage 2: the projector makes ${projector.dims.outputDim}-wide tokens but the UNet adapters expect audioCrossAttentionDim = ${audioCrossAttentionDim} (set the projector's outputDim)`);
  }
  const adapterVariables = UNet2DCondition.adapterParameterNames(unet.config).map((name) => {
    const t = unet.params.get(name);
    if (!(t instanceof tf.Variable) || !t.trainable) throw new Error(`stage 2: UNet adapter parameter '${name}' must be a trainable tf.Variable`);
    return t;
  });
  return { predictor: unet, projector, adapterVariables };
}
