// Mean-squared errors of the two training stages.
import * as tf from '@tensorflow/tfjs-core';

/** Stage 1: mean over all elements of (A − T_cap)², audio tokens vs. the caption's text tokens. */
export function tokenMseLoss(audioTokens: tf.Tensor3D, captionTokens: tf.Tensor3D): tf.Scalar {
  if (audioTokens.shape.join() !== captionTokens.shape.join()) {
    throw new Error(`token MSE: audio tokens [${audioTokens.shape}] and caption tokens [${captionTokens.shape}] must have the same shape`);
  }
  return tf.losses.meanSquaredError(captionTokens, audioTokens) as tf.Scalar;
}

/** Stage 2: the DDPM ε-prediction loss, mean over all elements of (ε̂ − ε)². */
export function epsilonMseLoss(predicted: tf.Tensor4D, noise: tf.Tensor4D): tf.Scalar {
  if (predicted.shape.join() !== noise.shape.join()) throw new Error(`ε loss: prediction [${predicted.shape}] and noise [${noise.shape}] differ`);
  return tf.tidy(() => tf.mean(tf.square(tf.sub(predicted, noise))) as tf.Scalar);
}
