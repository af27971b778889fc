// Pieces both toy-SD trainers share: the learning-rate curve, seeded batch draws, step seeds and
// progress/timing bookkeeping.
import * as tf from '@tensorflow/tfjs-core';
import { mulberry32 } from '../../../sonic/schedulers/seeded-random.js';
import type { ResolvedManifestRow } from '../../../data/sonictoy/manifest.js';

export interface ToySdProgress {
  phase: 'vae' | 'unet';
  step: number; // 1-based
  steps: number;
  loss: number;
  lr: number;
  elapsedSeconds: number;
}

export type ToySdProgressFn = (p: ToySdProgress) => void;

/** Linear warm-up over `warmup` steps, then a cosine decay to `floor`·lr at the last step. */
export function learningRate(step: number, steps: number, lr: number, warmup: number, floor = 0.1): number {
  if (step < warmup) return (lr * (step + 1)) / warmup;
  const span = Math.max(1, steps - warmup);
  const progress = Math.min(1, (step - warmup) / span);
  return lr * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
}

/** Draws batches without replacement within an epoch, reshuffling each epoch, all from one seed. */
export class BatchSampler {
  private readonly rand: () => number;
  private order: number[] = [];
  private at = 0;

  constructor(readonly size: number, seed: number) {
    if (size < 1) throw new Error('BatchSampler: no training examples');
    this.rand = mulberry32(seed ^ 0x5bd1e995);
  }

  next(batch: number): number[] {
    const out: number[] = [];
    while (out.length < batch) {
      if (this.at >= this.order.length) this.reshuffle();
      out.push(this.order[this.at++]!);
    }
    return out;
  }

  private reshuffle(): void {
    this.order = Array.from({ length: this.size }, (_, i) => i);
    for (let i = this.order.length - 1; i > 0; i--) {
      const j = Math.floor(this.rand() * (i + 1));
      [this.order[i], this.order[j]] = [this.order[j]!, this.order[i]!];
    }
    this.at = 0;
  }

  /** A fresh uniform stream for other per-step choices. */
  uniform(): number {
    return this.rand();
  }
}

/** A distinct 31-bit seed for step `step` of a run seeded with `seed` (for tfjs' seeded random ops). */
export function stepSeed(seed: number, step: number, salt: number): number {
  let h = (seed ^ Math.imul(step + 1, 0x9e3779b1) ^ Math.imul(salt, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) & 0x7fffffff;
}

export function gatherRows(x: tf.Tensor, indices: number[]): tf.Tensor {
  return tf.gather(x, tf.tensor1d(indices, 'int32'));
}

/** Rows of a split; a clear error when the split is empty and required. */
export function rowsOfSplit(rows: readonly ResolvedManifestRow[], split: string, what: string, required: boolean): ResolvedManifestRow[] {
  const picked = rows.filter((r) => r.split === split);
  if (required && picked.length === 0) {
    const present = [...new Set(rows.map((r) => r.split))].join(', ') || 'none';
    throw new Error(`${what}: no rows in split '${split}' (the manifest has splits: ${present})`);
  }
  return picked;
}

export function checkPositiveInt(what: string, field: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${what}: option '${field}' must be a positive integer, got ${JSON.stringify(v)}`);
}

export function checkPositive(what: string, field: string, v: number): void {
  if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new Error(`${what}: option '${field}' must be a positive number, got ${JSON.stringify(v)}`);
}
