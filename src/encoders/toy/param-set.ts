// Named, seeded tfjs parameters for the SonicToy stand-in encoders, stored as safetensors in tfjs layout
// (linear [in, out], conv [kh, kw, in, out]); the names are the model's own, stable across versions.
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../data/sonictoy/prng.js';
import { SafetensorsFile, writeSafetensors, type HostTensor } from '../../compute/safetensors.js';

export interface ParamSpec {
  name: string;
  shape: number[];
  /** 'uniform': ±1/√fanIn (PyTorch's default for linear/conv); 'normal': N(0, std²). */
  init: 'uniform' | 'normal' | 'ones' | 'zeros' | 'constant';
  fanIn?: number;
  std?: number;
  value?: number;
}

export class ParamSet {
  private constructor(readonly specs: readonly ParamSpec[], private readonly vars: Map<string, tf.Variable>) {}

  /** Fresh parameters; the same specs and seed give bit-identical values. */
  static create(specs: readonly ParamSpec[], seed: number): ParamSet {
    const vars = new Map<string, tf.Variable>();
    for (const s of specs) {
      // One generator per parameter, keyed by its name: adding a parameter does not shift the others.
      const rng = Rng.fromString(`toy-encoder-init/${seed}/${s.name}`);
      const n = s.shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(n);
      if (s.init === 'ones') data.fill(1);
      else if (s.init === 'constant') data.fill(s.value ?? 0);
      else if (s.init === 'uniform') {
        const bound = 1 / Math.sqrt(s.fanIn ?? s.shape[0] ?? 1);
        for (let i = 0; i < n; i++) data[i] = (rng.next() * 2 - 1) * bound;
      } else if (s.init === 'normal') {
        const std = s.std ?? 0.02;
        for (let i = 0; i < n; i++) data[i] = rng.normal() * std;
      }
      vars.set(s.name, hostVariable(data, s.shape));
    }
    return new ParamSet(specs, vars);
  }

  /** Loads every spec'd parameter from a safetensors file; a missing or misshapen one is a clear error. */
  static load(specs: readonly ParamSpec[], path: string): ParamSet {
    const file = new SafetensorsFile(path);
    try {
      const vars = new Map<string, tf.Variable>();
      for (const s of specs) {
        if (!file.tensors.has(s.name)) throw new Error(`${path}: missing parameter '${s.name}' (expected shape [${s.shape}])`);
        const t = file.read(s.name);
        if (t.shape.join() !== s.shape.join()) throw new Error(`${path}: parameter '${s.name}' has shape [${t.shape}], the config expects [${s.shape}]`);
        vars.set(s.name, hostVariable(t.data, t.shape));
      }
      return new ParamSet(specs, vars);
    } finally {
      file.close();
    }
  }

  get(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (!v) throw new Error(`no parameter '${name}'`);
    return v;
  }

  variables(): tf.Variable[] {
    return [...this.vars.values()];
  }

  names(): string[] {
    return [...this.vars.keys()];
  }

  get size(): number {
    let n = 0;
    for (const v of this.vars.values()) n += v.size;
    return n;
  }

  async toHost(): Promise<Map<string, HostTensor>> {
    const out = new Map<string, HostTensor>();
    for (const [name, v] of this.vars) out.set(name, { shape: [...v.shape], data: Float32Array.from((await v.data()) as Float32Array) });
    return out;
  }

  async save(path: string, metadata: Record<string, string> = {}): Promise<void> {
    writeSafetensors(path, await this.toHost(), metadata);
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}

function hostVariable(data: Float32Array, shape: number[]): tf.Variable {
  const t = tf.tensor(data, shape);
  const v = tf.variable(t, true);
  t.dispose(); // the variable holds its own reference to the data
  return v;
}

/** Specs of a linear layer: `${name}.weight` [in, out] (+ `${name}.bias` [out]). */
export function linearSpecs(name: string, inDim: number, outDim: number, bias = true): ParamSpec[] {
  const specs: ParamSpec[] = [{ name: `${name}.weight`, shape: [inDim, outDim], init: 'uniform', fanIn: inDim }];
  if (bias) specs.push({ name: `${name}.bias`, shape: [outDim], init: 'uniform', fanIn: inDim });
  return specs;
}

/** Specs of a norm's affine: `${name}.weight` (ones) and `${name}.bias` (zeros), shape [dim]. */
export function normSpecs(name: string, dim: number): ParamSpec[] {
  return [
    { name: `${name}.weight`, shape: [dim], init: 'ones' },
    { name: `${name}.bias`, shape: [dim], init: 'zeros' },
  ];
}
