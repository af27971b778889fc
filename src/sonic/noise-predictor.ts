// The contract between the UNet and everything that drives it (schedulers, guidance, PnP editing,
// training). Tensors are NHWC, as tfjs convolutions are.
import type * as tf from '@tensorflow/tfjs-core';

/**
 * Hooks the UNet calls at named sites so Plug-and-Play editing can inject features without a copy of the
 * UNet. A site is the diffusers module path, e.g. `up_blocks.1.attentions.1.transformer_blocks.0.attn1`
 * (self-attention) or `up_blocks.1.resnets.1` (resnet). Returning the arguments unchanged is a no-op.
 */
export interface UNetHooks {
  /** Self-attention (attn1) Q and K after their projections, shape [B, N, inner_dim], before the head split. */
  selfAttentionQK?(site: string, q: tf.Tensor3D, k: tf.Tensor3D): { q: tf.Tensor3D; k: tf.Tensor3D };
  /** A ResnetBlock2D's residual branch after conv2, before the skip add (NHWC). */
  resnetResidual?(site: string, h: tf.Tensor4D): tf.Tensor4D;
}

export interface NoisePredictorInput {
  sample: tf.Tensor4D; // noisy latents, NHWC [B, H, W, C]
  timestep: number | tf.Tensor1D; // one timestep for the batch, or one per sample
  textTokens: tf.Tensor3D; // [B, L, cross_attention_dim]
  audioTokens?: tf.Tensor3D; // [B, K, audio_cross_attention_dim]; undefined switches the gated adapters off
  hooks?: UNetHooks;
}

/** Predicts ε (same shape as the sample). */
export interface NoisePredictor {
  predict(input: NoisePredictorInput): tf.Tensor4D;
}
