// tf.randomNormal with a seed that always counts. tfjs treats seed 0 as "no seed" and draws from Math.random
// (`seed ? seed : Math.random()` in its rand_util), so a stage whose seed happens to be 0 (train-adapter's
// default at step 0, the toy-SD grid's default) would not repeat itself. Seed 0 maps to a fixed non-zero
// seed; every other seed gives exactly what tf.randomNormal gives.
import * as tf from '@tensorflow/tfjs-core';

/** The seed tfjs actually uses for `seed` (0 → a fixed non-zero constant). */
export function effectiveSeed(seed: number): number {
  return seed === 0 ? 0x2545f491 : seed;
}

export function seededNormal<R extends tf.Rank>(shape: tf.ShapeMap[R], seed: number): tf.Tensor<R> {
  return tf.randomNormal<R>(shape, 0, 1, 'float32', effectiveSeed(seed));
}
