// Sound mixing (paper §5, Fig. 10a) is linear interpolation of audio embeddings, done before the projector
// (CLAP space is the likely reading of the paper). The result is fed to the projector like any embedding;
// the sampler has no mixing mode. Volume control is likewise an input: scale the waveform before the encoder.
import * as tf from '@tensorflow/tfjs-core';

/**
 * (1 − w)·a + w·b. With `renormalise`, the mix is scaled back to unit L2 norm on the last axis, as CLAP
 * embeddings are (the paper does not say whether it renormalises; the default leaves the mix as is).
 */
export function mixAudioEmbeddings(a: tf.Tensor, b: tf.Tensor, w: number, opts: { renormalise?: boolean } = {}): tf.Tensor {
  if (!(w >= 0 && w <= 1)) throw new Error(`mixAudioEmbeddings: weight must be in [0, 1], got ${w}`);
  if (a.shape.join() !== b.shape.join()) throw new Error(`mixAudioEmbeddings: shapes [${a.shape}] and [${b.shape}] differ`);
  return tf.tidy(() => {
    const mix = tf.add(tf.mul(a, 1 - w), tf.mul(b, w));
    if (!opts.renormalise) return mix;
    return tf.div(mix, tf.maximum(tf.norm(mix, 'euclidean', -1, true), 1e-12));
  });
}
