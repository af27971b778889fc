// Reading tensor values on every backend. The webgpu backend cannot read synchronously in Node (tfjs-webgpu's
// readSync goes through OffscreenCanvas), but once `await t.data()` has run it keeps the values on the host,
// so code that must call dataSync() afterwards (checkpoint writers, metrics) first awaits readToHost.
import * as tf from '@tensorflow/tfjs-core';

/** Makes later dataSync()/arraySync() on these tensors work on every backend (values cached on the host). */
export async function readToHost(tensors: readonly tf.Tensor[]): Promise<void> {
  await Promise.all(tensors.map((t) => t.data()));
}

/** The first value of each tensor, read asynchronously. */
export async function readScalars(tensors: readonly tf.Tensor[]): Promise<number[]> {
  return Promise.all(tensors.map(async (t) => (await t.data())[0]!));
}
