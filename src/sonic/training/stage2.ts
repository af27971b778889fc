// Stage 2 (spec §5.3): the DDPM ε-prediction loss through the UNet with audio tokens from the projector.
// Trainable: the gated audio adapters (lr 1e-4) and the projector (lr 1e-5); everything else frozen.
// Text is null ("") by default; `dropText` < 1 keeps the caption with probability 1 − dropText (the legacy
// script's 0.5). Timesteps, noise and text dropout all derive from `seed`, so a step is reproducible.
import * as tf from '@tensorflow/tfjs-core';
import { seededNormal } from '../../compute/seeded-normal.js';
import { readScalars } from '../../compute/host-read.js';
import type { AdamW } from '../../compute/adamw.js';
import '../../compute/tfjs.js';
import type { NoisePredictor } from '../noise-predictor.js';
import type { AudioProjector } from '../projector/audio-projector.js';
import { NoiseSchedule } from '../schedulers/noise-schedule.js';
import { mulberry32, randomInts } from '../schedulers/seeded-random.js';
import { epsilonMseLoss } from '../losses/regression.js';
import { tileBatch } from '../schedulers/ddim-inversion.js';
import { groupedAdamW, lossAndGrads, type GroupedOptimizer, type AdamWOptions } from './optimizer.js';
import type { StepResult } from './stage1.js';

export interface Stage2Model {
  predictor: NoisePredictor;
  projector: AudioProjector;
  /** The adapter parameters the predictor reads (attn_adapter, norm_adapter, gate_adapter). */
  adapterVariables: tf.Variable[];
}

export interface Stage2Batch {
  latents: tf.Tensor4D; // z0 = VAE mean × scale factor, NHWC
  audioEmbeddings: tf.Tensor3D; // [B, 1, D]
  nullTextTokens: tf.Tensor3D; // T(""), [1, L, Dt]
  captionTokens?: tf.Tensor3D; // [B, L, Dt], needed when dropText < 1
}

export interface Stage2Options {
  seed: number;
  /** Probability of replacing the caption by null text (default 1: always null text, as the paper). */
  dropText?: number;
  schedule?: NoiseSchedule;
}

export const STAGE2_DEFAULTS = Object.freeze({ adapterLr: 1e-4, projectorLr: 1e-5, weightDecay: 1e-2, dropText: 1 });

/** AdamW with the two stage-2 groups; `trainProjector: false` is the "projector frozen in stage 2" ablation. */
export function createStage2Optimizer(
  model: Stage2Model,
  opts: { adapterLr?: number; projectorLr?: number; trainProjector?: boolean } & AdamWOptions = {},
): AdamW {
  const groups = [{ name: 'adapters', variables: model.adapterVariables, lr: opts.adapterLr ?? STAGE2_DEFAULTS.adapterLr }];
  if (opts.trainProjector ?? true) groups.push({ name: 'projector', variables: model.projector.liveVariables(), lr: opts.projectorLr ?? STAGE2_DEFAULTS.projectorLr });
  return groupedAdamW(groups, { weightDecay: opts.weightDecay ?? STAGE2_DEFAULTS.weightDecay, ...(opts.betas ? { betas: opts.betas } : {}), ...(opts.eps !== undefined ? { eps: opts.eps } : {}) });
}

export function stage2Loss(model: Stage2Model, batch: Stage2Batch, opts: Stage2Options): { loss: tf.Scalar; timesteps: number[]; usedCaption: boolean[] } {
  const schedule = opts.schedule ?? new NoiseSchedule();
  const dropText = opts.dropText ?? STAGE2_DEFAULTS.dropText;
  if (!(dropText >= 0 && dropText <= 1)) throw new Error(`stage 2: dropText must be in [0, 1], got ${dropText}`);
  const b = batch.latents.shape[0];
  const rand = mulberry32(opts.seed);
  const timesteps = randomInts(rand, b, schedule.trainSteps);
  const usedCaption = Array.from({ length: b }, () => rand() >= dropText);
  if (usedCaption.some(Boolean) && !batch.captionTokens) throw new Error('stage 2: dropText < 1 needs captionTokens in the batch');
  const loss = tf.tidy(() => {
    const eps = seededNormal<tf.Rank.R4>(batch.latents.shape, opts.seed);
    const noisy = schedule.addNoise(batch.latents, eps, timesteps);
    const nullText = tileBatch(batch.nullTextTokens, b);
    let text = nullText;
    if (usedCaption.some(Boolean)) {
      const keep = tf.tensor3d(usedCaption.map((u) => (u ? 1 : 0)), [b, 1, 1]);
      text = tf.add(tf.mul(batch.captionTokens!, keep), tf.mul(nullText, tf.sub(1, keep)));
    }
    const audio = model.projector.apply(batch.audioEmbeddings);
    const pred = model.predictor.predict({ sample: noisy, timestep: tf.tensor1d(timesteps, 'float32'), textTokens: text, audioTokens: audio });
    return epsilonMseLoss(pred, eps);
  });
  return { loss, timesteps, usedCaption };
}

/** One stage-2 step over the optimizer's variables; returns the loss before the update. */
export async function stage2Step(model: Stage2Model, optimizer: GroupedOptimizer, batch: Stage2Batch, opts: Stage2Options): Promise<StepResult & { timesteps: number[] }> {
  let timesteps: number[] = [];
  const { loss, grads } = lossAndGrads(() => {
    const r = stage2Loss(model, batch, opts);
    timesteps = r.timesteps;
    return r.loss;
  }, optimizer.variables());
  optimizer.step(grads);
  const [value] = await readScalars([loss]); // async: the webgpu backend cannot read synchronously
  loss.dispose();
  for (const g of grads.values()) g.dispose();
  return { loss: value!, parts: { epsilonMse: value! }, timesteps };
}
