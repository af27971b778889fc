// torch.optim.AdamW (single-tensor path, amsgrad=False, maximize=False) over tf.Variables with per-group
// hyper-parameters. Per-parameter step counts as in torch (a parameter without a gradient is not stepped).
//   p ← p·(1 − lr·wd);  m ← m + (1−β1)(g − m);  v ← β2·v + (1−β2)·g²
//   p ← p − lr/(1−β1ᵗ) · m / (√v / √(1−β2ᵗ) + eps)
import * as tf from '@tensorflow/tfjs-core';
import { SafetensorsFile, writeSafetensors, type HostTensor } from './safetensors.js';
import { onWasmKernels } from './wasm-kernels/module.js';
import { wasmAdamWStep, type AdamWStepScalars } from './wasm-kernels/adamw.js';

export interface NamedVariable {
  name: string;
  variable: tf.Variable;
}

export interface AdamWHyperParams {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
}

export interface AdamWGroup extends Partial<AdamWHyperParams> {
  params: Array<tf.Variable | NamedVariable>;
}

interface ParamState {
  name: string;
  variable: tf.Variable;
  group: number;
  step: number;
  expAvg: tf.Variable;
  expAvgSq: tf.Variable;
}

const STATE_FORMAT = 'sonic-adamw-v1';

/** A zero state variable; tidy frees the temporary zeros the variable was made from (variables survive it). */
function zeroStateLike(v: tf.Variable): tf.Variable {
  return tf.tidy(() => tf.variable(tf.zerosLike(v), false));
}

export class AdamW {
  readonly groups: AdamWHyperParams[];
  private readonly params: ParamState[] = [];
  private readonly byVariableName = new Map<string, ParamState>();
  private readonly byVariable = new Map<tf.Variable, ParamState>();

  constructor(groups: AdamWGroup[] | Array<tf.Variable | NamedVariable>, defaults: Partial<AdamWHyperParams> = {}) {
    const base: AdamWHyperParams = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, ...defaults };
    const list: AdamWGroup[] = isGroupList(groups) ? groups : [{ params: groups }];
    this.groups = list.map((g) => ({
      lr: g.lr ?? base.lr,
      betas: g.betas ?? base.betas,
      eps: g.eps ?? base.eps,
      weightDecay: g.weightDecay ?? base.weightDecay,
    }));
    const names = new Set<string>();
    list.forEach((g, groupIndex) => {
      for (const p of g.params) {
        const { name, variable } = p instanceof tf.Variable ? { name: p.name, variable: p } : p;
        if (names.has(name)) throw new Error(`AdamW: parameter '${name}' appears twice`);
        names.add(name);
        const state: ParamState = {
          name,
          variable,
          group: groupIndex,
          step: 0,
          expAvg: zeroStateLike(variable),
          expAvgSq: zeroStateLike(variable),
        };
        this.params.push(state);
        this.byVariableName.set(variable.name, state);
        this.byVariable.set(variable, state);
      }
    });
  }

  /** Sets the learning rate of one group, or of every group. */
  setLearningRate(lr: number, groupIndex?: number): void {
    if (groupIndex === undefined) this.groups.forEach((g) => (g.lr = lr));
    else this.group(groupIndex).lr = lr;
  }

  variables(): tf.Variable[] {
    return this.params.map((p) => p.variable);
  }

  /** Applies one update. `grads` is keyed by tf.Variable name (what tf.variableGrads returns). */
  applyGradients(grads: tf.NamedTensorMap): void {
    const fused = onWasmKernels();
    for (const [varName, g] of Object.entries(grads)) {
      const s = this.byVariableName.get(varName);
      if (!s) throw new Error(`AdamW: got a gradient for variable '${varName}', which is not in any parameter group`);
      if (g == null) continue;
      this.update(s, g, fused);
    }
  }

  /** Applies one update from gradients keyed by variable object (sonic/training's GroupedOptimizer shape). */
  step(grads: ReadonlyMap<tf.Variable, tf.Tensor>): void {
    const fused = onWasmKernels();
    for (const [variable, g] of grads) {
      const s = this.byVariable.get(variable);
      if (!s) throw new Error(`AdamW: got a gradient for variable '${variable.name}', which is not in any parameter group`);
      this.update(s, g, fused);
    }
  }

  /** Computes the loss and its gradients w.r.t. every parameter, applies them, and returns the loss value. */
  minimize(loss: () => tf.Scalar): number {
    const trainable = this.params.map((p) => p.variable).filter((v) => v.trainable);
    const { value, grads } = tf.variableGrads(loss, trainable);
    try {
      this.applyGradients(grads);
      return value.dataSync()[0]!;
    } finally {
      tf.dispose(value);
      tf.dispose(Object.values(grads));
    }
  }

  /** One parameter's update: on wasm one fused kernel (wasm-kernels/adamw.ts), elsewhere ~14 elementwise ops. */
  private update(s: ParamState, g: tf.Tensor, fused: boolean): void {
    const { lr, betas, eps, weightDecay } = this.group(s.group);
    const [b1, b2] = betas;
    s.step += 1;
    const scalars: AdamWStepScalars = {
      decay: weightDecay !== 0 ? 1 - lr * weightDecay : 1,
      beta1: b1,
      beta2: b2,
      bc2Sqrt: Math.sqrt(1 - b2 ** s.step),
      eps,
      stepSize: lr / (1 - b1 ** s.step),
    };
    const useKernel = fused && s.variable.dtype === 'float32' && g.dtype === 'float32';
    const [p, m, v] = (useKernel ? wasmAdamWStep : composedAdamWStep)(s.variable, s.expAvg, s.expAvgSq, g, scalars);
    s.variable.assign(p);
    s.expAvg.assign(m);
    s.expAvgSq.assign(v);
    tf.dispose([p, m, v]);
  }

  private group(i: number): AdamWHyperParams {
    const g = this.groups[i];
    if (!g) throw new Error(`AdamW: no parameter group ${i} (there are ${this.groups.length})`);
    return g;
  }

  /** Optimizer state as host tensors `${name}.exp_avg` / `${name}.exp_avg_sq`, plus metadata (steps, groups). */
  state(): { tensors: Map<string, HostTensor>; metadata: Record<string, string> } {
    const tensors = new Map<string, HostTensor>();
    for (const s of this.params) {
      tensors.set(`${s.name}.exp_avg`, { shape: [...s.expAvg.shape], data: s.expAvg.dataSync() as Float32Array });
      tensors.set(`${s.name}.exp_avg_sq`, { shape: [...s.expAvgSq.shape], data: s.expAvgSq.dataSync() as Float32Array });
    }
    const metadata = {
      format: STATE_FORMAT,
      steps: JSON.stringify(Object.fromEntries(this.params.map((s) => [s.name, s.step]))),
      groups: JSON.stringify(this.groups.map((g, i) => ({ ...g, params: this.params.filter((s) => s.group === i).map((s) => s.name) }))),
    };
    return { tensors, metadata };
  }

  saveState(path: string): void {
    const { tensors, metadata } = this.state();
    writeSafetensors(path, tensors, metadata);
  }

  /** Restores moments, steps and group hyper-parameters (as torch's load_state_dict does). */
  loadState(path: string): void {
    const file = new SafetensorsFile(path);
    try {
      if (file.metadata.format !== STATE_FORMAT) throw new Error(`${path}: not an AdamW state file (metadata format '${file.metadata.format ?? 'missing'}', expected '${STATE_FORMAT}')`);
      const steps = JSON.parse(file.metadata.steps ?? '{}') as Record<string, number>;
      const groups = JSON.parse(file.metadata.groups ?? '[]') as Array<AdamWHyperParams & { params: string[] }>;
      const problems: string[] = [];
      if (groups.length !== this.groups.length) problems.push(`${groups.length} parameter groups in the file, ${this.groups.length} in the optimizer`);
      for (const s of this.params) {
        for (const [suffix, target] of [['exp_avg', s.expAvg], ['exp_avg_sq', s.expAvgSq]] as const) {
          const info = file.tensors.get(`${s.name}.${suffix}`);
          if (!info) problems.push(`missing ${s.name}.${suffix}`);
          else if (info.shape.join() !== target.shape.join()) problems.push(`${s.name}.${suffix}: file [${info.shape}], expected [${target.shape}]`);
        }
        if (!(s.name in steps)) problems.push(`no step count for ${s.name}`);
      }
      const known = new Set(this.params.flatMap((s) => [`${s.name}.exp_avg`, `${s.name}.exp_avg_sq`]));
      for (const k of file.keys()) if (!known.has(k)) problems.push(`unexpected ${k}`);
      if (problems.length > 0) throw new Error(`${path}: optimizer state does not match the parameters:\n  ${problems.join('\n  ')}`);
      for (const s of this.params) {
        const m = file.read(`${s.name}.exp_avg`);
        const v = file.read(`${s.name}.exp_avg_sq`);
        tf.tidy(() => {
          s.expAvg.assign(tf.tensor(m.data, m.shape));
          s.expAvgSq.assign(tf.tensor(v.data, v.shape));
        });
        s.step = steps[s.name]!;
      }
      groups.forEach((g, i) => Object.assign(this.groups[i]!, { lr: g.lr, betas: g.betas, eps: g.eps, weightDecay: g.weightDecay }));
    } finally {
      file.close();
    }
  }

  dispose(): void {
    for (const s of this.params) tf.dispose([s.expAvg, s.expAvgSq]);
  }
}

/** The update as elementwise tfjs ops (any backend); returns new p, m, v. wasmAdamWStep is the same, fused. */
export function composedAdamWStep(p: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, s: AdamWStepScalars): [tf.Tensor, tf.Tensor, tf.Tensor] {
  return tf.tidy(() => {
    const decayed = s.decay !== 1 ? tf.mul(p, s.decay) : p;
    const m1 = tf.add(m, tf.mul(tf.sub(g, m), 1 - s.beta1));
    const v1 = tf.add(tf.mul(v, s.beta2), tf.mul(tf.mul(g, g), 1 - s.beta2));
    const denom = tf.add(tf.div(tf.sqrt(v1), s.bc2Sqrt), s.eps);
    return [tf.sub(decayed, tf.mul(tf.div(m1, denom), s.stepSize)), m1, v1] as [tf.Tensor, tf.Tensor, tf.Tensor];
  });
}

function isGroupList(x: AdamWGroup[] | Array<tf.Variable | NamedVariable>): x is AdamWGroup[] {
  return x.length > 0 && typeof x[0] === 'object' && x[0] !== null && 'params' in x[0];
}
