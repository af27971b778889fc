// The UNet, inputs and stage-2 step that both model benchmarks time (bench/model on wasm/cpu, bench/gpu on
// webgpu), so the two measure the same computation.
import * as tf from '@tensorflow/tfjs-core';
import type { UNetConfig } from '../../src/sonic/unet/config.js';
import { UNet2DCondition } from '../../src/sonic/unet/unet2d-condition.js';
import { createUNetParams } from '../../src/sonic/unet/weights.js';
import type { ParamStore } from '../../src/compute/param-store.js';
import { lossAndGrads } from '../../src/sonic/training/optimizer.js';
import type { AdamW } from '../../src/compute/adamw.js';
import { NoiseSchedule } from '../../src/sonic/schedulers/noise-schedule.js';
import { mulberry32, randomInts } from '../../src/sonic/schedulers/seeded-random.js';
import { epsilonMseLoss } from '../../src/sonic/losses/regression.js';
import type { BenchPlan } from './plan.js';

export interface BenchModel {
  unet: UNet2DCondition;
  store: ParamStore;
  trainable: tf.Variable[];
}

export interface BenchInputs {
  latents: tf.Tensor4D;
  text: tf.Tensor3D;
  nullText: tf.Tensor3D;
  audio: tf.Tensor3D;
  nullAudio: tf.Tensor3D;
}

const schedule = new NoiseSchedule();

/** Fresh weights (torch-default init, src/sonic/unet/weights.ts); `trainable` picks what the optimizer updates. */
export function buildModel(config: UNetConfig, seed: number, trainable: (name: string) => boolean): BenchModel {
  const store = createUNetParams(config, { seed, trainable });
  return { unet: new UNet2DCondition(config, store), store, trainable: store.variables((_, e) => e.trainable) };
}

export function makeInputs(plan: BenchPlan, configName: string, config: UNetConfig): BenchInputs {
  const { batch: b, latentChannels: c, textTokens: l, audioTokens: k, seed } = plan;
  const s = plan.configs[configName]!.latentSize;
  return {
    latents: tf.randomNormal([b, s, s, c], 0, 1, 'float32', seed + 1) as tf.Tensor4D,
    text: tf.randomNormal([b, l, config.crossAttentionDim], 0, 1, 'float32', seed + 2) as tf.Tensor3D,
    nullText: tf.randomNormal([1, l, config.crossAttentionDim], 0, 1, 'float32', seed + 3) as tf.Tensor3D,
    audio: tf.randomNormal([b, k, config.audioCrossAttentionDim], 0, 1, 'float32', seed + 4) as tf.Tensor3D,
    nullAudio: tf.zeros([1, k, config.audioCrossAttentionDim]) as tf.Tensor3D,
  };
}

/**
 * Queues one stage-2 ε step (src/sonic/training/stage2.ts without the projector: the audio tokens are given)
 * and the optimizer's update; returns the loss, unread, so each caller waits for it in its own way.
 */
export function queueTrainStep(model: BenchModel, optimizer: AdamW, inputs: BenchInputs, stepSeed: number): tf.Scalar {
  const timesteps = randomInts(mulberry32(stepSeed), inputs.latents.shape[0], schedule.trainSteps);
  const { loss, grads } = lossAndGrads(
    () =>
      tf.tidy(() => {
        const eps = tf.randomNormal(inputs.latents.shape, 0, 1, 'float32', stepSeed) as tf.Tensor4D;
        const noisy = schedule.addNoise(inputs.latents, eps, timesteps);
        const pred = model.unet.predict({ sample: noisy, timestep: tf.tensor1d(timesteps, 'float32'), textTokens: inputs.text, audioTokens: inputs.audio });
        return epsilonMseLoss(pred, eps);
      }),
    optimizer.variables(),
  );
  optimizer.step(grads);
  tf.dispose([...grads.values()]);
  return loss as tf.Scalar;
}
