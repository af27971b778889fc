import * as tf from '@tensorflow/tfjs-core';

export interface TimestepEmbeddingOptions {
  flipSinToCos?: boolean;
  downscaleFreqShift?: number;
  scale?: number;
  maxPeriod?: number;
}

/**
 * diffusers get_timestep_embedding: [B] timesteps -> [B, dim] sinusoids. Frequencies are rounded to float32
 * at each step the way torch computes them, so the embedding matches torch to float32 precision.
 * SD's UNet uses flipSinToCos=true, downscaleFreqShift=0 (the defaults here).
 */
export function timestepEmbedding(timesteps: tf.Tensor1D | number[] | number, dim: number, options: TimestepEmbeddingOptions = {}): tf.Tensor2D {
  const { flipSinToCos = true, downscaleFreqShift = 0, scale = 1, maxPeriod = 10000 } = options;
  const half = Math.floor(dim / 2);
  const f = Math.fround;
  const negLog = f(-Math.log(maxPeriod));
  const denom = f(half - downscaleFreqShift);
  const freqs = Float32Array.from({ length: half }, (_, i) => f(Math.exp(f(f(negLog * i) / denom))));
  return tf.tidy(() => {
    const t = typeof timesteps === 'number' ? tf.tensor1d([timesteps]) : Array.isArray(timesteps) ? tf.tensor1d(timesteps) : tf.cast(timesteps, 'float32');
    let args: tf.Tensor2D = tf.mul(tf.reshape(t, [-1, 1]), tf.tensor2d(freqs, [1, half]));
    if (scale !== 1) args = tf.mul(args, scale);
    const [first, second] = flipSinToCos ? [tf.cos(args), tf.sin(args)] : [tf.sin(args), tf.cos(args)];
    let emb: tf.Tensor2D = tf.concat([first, second], 1);
    if (dim % 2 === 1) emb = tf.pad(emb, [[0, 0], [0, 1]]);
    return emb;
  });
}
