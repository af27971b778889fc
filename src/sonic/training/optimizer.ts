// What the training steps need from an optimizer: per-variable gradients in, one update out. Variables are
// keyed by object (not by tfjs name) so several models can live in one process. Any grouped AdamW (e.g.
// compute/adamw.ts) implements it; `groupedAdamW` builds one from named groups.
import * as tf from '@tensorflow/tfjs-core';
import { AdamW } from '../../compute/adamw.js';

export interface GroupedOptimizer {
  /** Updates every variable of its groups that has a gradient; others (absent from `grads`) stay untouched. */
  step(grads: ReadonlyMap<tf.Variable, tf.Tensor>): void;
  /** All variables the optimizer updates. */
  variables(): tf.Variable[];
}

export interface ParamGroup {
  name: string;
  variables: tf.Variable[];
  lr: number;
  weightDecay?: number;
}

export interface AdamWOptions {
  betas?: [number, number]; // default (0.9, 0.999)
  eps?: number; // default 1e-8
  weightDecay?: number; // default 1e-2 (SonicDiffusion, both stages)
}

/**
 * torch.optim.AdamW over named groups (each with its own lr and optional weight decay), as compute's
 * AdamW. A variable may belong to one group only.
 */
export function groupedAdamW(groups: ParamGroup[], opts: AdamWOptions = {}): AdamW {
  const groupOf = new Map<tf.Variable, string>();
  for (const g of groups) {
    if (!(g.lr >= 0)) throw new Error(`AdamW group '${g.name}': lr must be ≥ 0, got ${g.lr}`);
    for (const v of g.variables) {
      const other = groupOf.get(v);
      if (other !== undefined) throw new Error(`AdamW: variable ${v.name} is in groups '${other}' and '${g.name}'`);
      groupOf.set(v, g.name);
    }
  }
  return new AdamW(
    groups.map((g) => ({ params: g.variables, lr: g.lr, ...(g.weightDecay !== undefined ? { weightDecay: g.weightDecay } : {}) })),
    { weightDecay: opts.weightDecay ?? 1e-2, ...(opts.betas ? { betas: opts.betas } : {}), ...(opts.eps !== undefined ? { eps: opts.eps } : {}) },
  );
}

/** tf.variableGrads over explicit variables, returned keyed by variable (variables without a path to the loss are absent). */
export function lossAndGrads(f: () => tf.Scalar, variables: tf.Variable[]): { loss: tf.Scalar; grads: Map<tf.Variable, tf.Tensor> } {
  const byName = new Map(variables.map((v) => [v.name, v]));
  const { value, grads } = tf.variableGrads(f, variables);
  const out = new Map<tf.Variable, tf.Tensor>();
  for (const [name, g] of Object.entries(grads)) {
    const v = byName.get(name);
    if (v) out.set(v, g);
    else g.dispose();
  }
  return { loss: value, grads: out };
}
