// The one place that prepares tfjs-core for training in Node. tfjs-core's CommonJS node bundle ships no
// gradient definitions and no chained ops (x.add(y)); the @tensorflow/tfjs union package normally registers
// both. We load tfjs-core's own ESM registration modules through a small resolve/load hook instead. They
// share the engine, kernel and gradient registries with the CommonJS copy (tfjs keeps them on a global),
// so `tf.grad`/`tf.grads`/optimizers then work with every backend. Import this module (the ops index does)
// before computing gradients.
import { register } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
// Type-only: brings the chained-op declarations (x.add(y), …) into every compilation that imports this file.
import type {} from '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';

export { tf };

const REGISTERED = Symbol.for('sonicdiffusion.tfjs.gradientsRegistered');
type GlobalWithFlag = typeof globalThis & { [REGISTERED]?: boolean };

async function registerGradientsAndChainedOps(): Promise<void> {
  const g = globalThis as GlobalWithFlag;
  if (g[REGISTERED]) return;
  if (tf.getGradient('Sum') === undefined) {
    register(new URL('./tfjs-esm-hooks.js', import.meta.url));
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js' as string);
    await import('@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js' as string);
  }
  g[REGISTERED] = true;
}

await registerGradientsAndChainedOps();
