// What the training steps need from an optimizer: per-variable gradients in, one update out. Variables are
// keyed by object (not by tfjs name) so several models can live in one process. Any grouped AdamW (e.g.
// compute/adamw.ts) can implement this; `GroupedAdamW` below is the plain PyTorch AdamW.
import * as tf from '@tensorflow/tfjs-core';

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

/** torch.optim.AdamW: decoupled weight decay θ ← θ(1 − lr·wd), then the bias-corrected Adam update. */
export class GroupedAdamW implements GroupedOptimizer {
  private readonly state = new Map<tf.Variable, { m: tf.Variable; v: tf.Variable; step: number }>();
  private readonly groupOf = new Map<tf.Variable, ParamGroup>();

  constructor(readonly groups: ParamGroup[], private readonly opts: AdamWOptions = {}) {
    for (const g of groups) {
      if (!(g.lr >= 0)) throw new Error(`AdamW group '${g.name}': lr must be ≥ 0, got ${g.lr}`);
      for (const v of g.variables) {
        if (this.groupOf.has(v)) throw new Error(`AdamW: variable ${v.name} is in groups '${this.groupOf.get(v)!.name}' and '${g.name}'`);
        this.groupOf.set(v, g);
      }
    }
  }

  variables(): tf.Variable[] {
    return [...this.groupOf.keys()];
  }

  step(grads: ReadonlyMap<tf.Variable, tf.Tensor>): void {
    const [b1, b2] = this.opts.betas ?? [0.9, 0.999];
    const eps = this.opts.eps ?? 1e-8;
    for (const [variable, grad] of grads) {
      const group = this.groupOf.get(variable);
      if (!group) continue;
      const wd = group.weightDecay ?? this.opts.weightDecay ?? 1e-2;
      let s = this.state.get(variable);
      if (!s) {
        s = { m: tf.variable(tf.zerosLike(variable), false), v: tf.variable(tf.zerosLike(variable), false), step: 0 };
        this.state.set(variable, s);
      }
      s.step++;
      const st = s;
      tf.tidy(() => {
        const m = tf.add(tf.mul(st.m, b1), tf.mul(grad, 1 - b1));
        const v = tf.add(tf.mul(st.v, b2), tf.mul(tf.square(grad), 1 - b2));
        st.m.assign(m);
        st.v.assign(v);
        const mHat = tf.div(m, 1 - b1 ** st.step);
        const vHat = tf.div(v, 1 - b2 ** st.step);
        const decayed = tf.mul(variable, 1 - group.lr * wd);
        variable.assign(tf.sub(decayed, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), eps)), group.lr)));
      });
    }
  }

  dispose(): void {
    for (const s of this.state.values()) {
      s.m.dispose();
      s.v.dispose();
    }
    this.state.clear();
  }
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
