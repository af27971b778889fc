// A named parameter collection. Names are the PyTorch state-dict keys (diffusers / official checkpoints);
// each parameter declares its torch layout so checkpoints convert generically in both directions.
import * as tf from '@tensorflow/tfjs-core';
import { SafetensorsFile, writeSafetensors, type HostTensor } from './safetensors.js';
import { tfShapeOf, tfToTorch, torchShapeOf, torchToTf, type TorchLayout } from './torch-layout.js';
import { mulberry32, normalArray, seedFor, uniformArray } from './seeded-random.js';

export type ParamInit = 'zeros' | 'ones' | { normal: number } | { uniform: number } | tf.Tensor;

export interface ParamEntry {
  name: string;
  variable: tf.Variable;
  layout: TorchLayout;
  trainable: boolean;
}

export class ParamStore {
  private readonly entries = new Map<string, ParamEntry>();

  /** `seed` drives the random initialisers (per parameter: seed ⊕ name). */
  constructor(readonly seed = 0) {}

  add(name: string, shape: number[], layout: TorchLayout, init: ParamInit, options: { trainable?: boolean } = {}): tf.Variable {
    if (this.entries.has(name)) throw new Error(`ParamStore: parameter '${name}' is already defined`);
    if (!shape.every((d) => Number.isInteger(d) && d > 0)) throw new Error(`ParamStore: '${name}' has an invalid shape [${shape}]`);
    const trainable = options.trainable ?? true;
    const initial = this.initialValue(name, shape, init);
    const variable = tf.variable(initial, trainable);
    if (!(init instanceof tf.Tensor)) initial.dispose();
    this.entries.set(name, { name, variable, layout, trainable });
    return variable;
  }

  private initialValue(name: string, shape: number[], init: ParamInit): tf.Tensor {
    const n = shape.reduce((a, b) => a * b, 1);
    if (init instanceof tf.Tensor) {
      if (init.shape.join() !== shape.join()) throw new Error(`ParamStore: initial value for '${name}' has shape [${init.shape}], expected [${shape}]`);
      return init;
    }
    if (init === 'zeros') return tf.zeros(shape);
    if (init === 'ones') return tf.ones(shape);
    const rand = mulberry32(seedFor(this.seed, name));
    if ('normal' in init) return tf.tensor(normalArray(n, init.normal, rand), shape);
    return tf.tensor(uniformArray(n, init.uniform, rand), shape);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  get(name: string): tf.Variable {
    return this.entry(name).variable;
  }

  entry(name: string): ParamEntry {
    const e = this.entries.get(name);
    if (!e) {
      const near = this.names().filter((n) => n.endsWith(name.split('.').slice(-2).join('.'))).slice(0, 5);
      throw new Error(`ParamStore: no parameter '${name}'${near.length ? ` (similar: ${near.join(', ')})` : ''}`);
    }
    return e;
  }

  names(filter?: (name: string) => boolean): string[] {
    const all = [...this.entries.keys()];
    return filter ? all.filter(filter) : all;
  }

  /** Variables in insertion order; by default every parameter, trainable or not. */
  variables(filter?: (name: string, entry: ParamEntry) => boolean): tf.Variable[] {
    return this.named(filter).map((e) => e.variable);
  }

  /** {name, variable} pairs (the form AdamW takes for stable state names). */
  named(filter?: (name: string, entry: ParamEntry) => boolean): Array<{ name: string; variable: tf.Variable }> {
    return [...this.entries.values()].filter((e) => !filter || filter(e.name, e)).map((e) => ({ name: e.name, variable: e.variable }));
  }

  trainableNamed(): Array<{ name: string; variable: tf.Variable }> {
    return this.named((_, e) => e.trainable);
  }

  /** Number of scalar parameters (optionally of a subset). */
  count(filter?: (name: string) => boolean): number {
    return this.names(filter).reduce((acc, n) => acc + this.get(n).size, 0);
  }

  dispose(): void {
    for (const e of this.entries.values()) e.variable.dispose();
    this.entries.clear();
  }
}

export class CheckpointMismatchError extends Error {
  constructor(
    readonly source: string,
    readonly missing: string[],
    readonly unexpected: string[],
    readonly misShaped: string[],
  ) {
    const parts: string[] = [];
    if (missing.length) parts.push(`missing from the checkpoint (${missing.length}):\n    ${missing.join('\n    ')}`);
    if (unexpected.length) parts.push(`not parameters of the model (${unexpected.length}):\n    ${unexpected.join('\n    ')}`);
    if (misShaped.length) parts.push(`wrong shape (${misShaped.length}):\n    ${misShaped.join('\n    ')}`);
    super(`${source}: checkpoint does not match the model:\n  ${parts.join('\n  ')}`);
  }
}

export interface LoadCheckpointOptions {
  /** Only checkpoint keys starting with this are considered; it is stripped before `map`. */
  prefix?: string;
  /** Every store parameter must be loaded and every considered key used (torch load_state_dict strict). */
  strict: boolean;
  /** Checkpoint key (after prefix stripping) -> store name; null skips the key. */
  map?: (key: string) => string | null;
  /** Store parameters this checkpoint is meant to fill (default: all); others are neither loaded nor "missing". */
  only?: (name: string) => boolean;
}

export interface LoadReport {
  loaded: string[];
  missing: string[];
  unexpected: string[];
}

/**
 * Loads torch-layout tensors into the store. Shape mismatches are always an error; missing and extra keys
 * are an error when strict. Every problem is reported at once, with torch and expected shapes.
 */
export function loadTorchCheckpoint(store: ParamStore, source: SafetensorsFile | string, options: LoadCheckpointOptions): LoadReport {
  const file = typeof source === 'string' ? new SafetensorsFile(source) : source;
  try {
    const wanted = new Set(store.names(options.only));
    const plan: Array<{ key: string; name: string }> = [];
    const unexpected: string[] = [];
    const misShaped: string[] = [];
    const misShapedNames = new Set<string>();
    for (const key of file.keys()) {
      if (options.prefix && !key.startsWith(options.prefix)) continue;
      const stripped = options.prefix ? key.slice(options.prefix.length) : key;
      const name = options.map ? options.map(stripped) : stripped;
      if (name === null) continue;
      if (!wanted.has(name)) {
        unexpected.push(store.has(name) ? `${key} (parameter '${name}' is excluded by 'only')` : `${key} [${file.tensors.get(key)!.shape}]`);
        continue;
      }
      const entry = store.entry(name);
      const torchShape = file.tensors.get(key)!.shape;
      const expectedTf = [...entry.variable.shape];
      const got = torchShape.length === expectedTf.length ? tfShapeOf(entry.layout, torchShape) : null;
      if (!got || got.join() !== expectedTf.join()) {
        misShapedNames.add(name);
        misShaped.push(`${key}: torch [${torchShape}], expected torch [${torchShapeOf(entry.layout, expectedTf)}] (tfjs [${expectedTf}], layout ${entry.layout})`);
        continue;
      }
      plan.push({ key, name });
    }
    const loadedNames = new Set(plan.map((p) => p.name));
    const missing = [...wanted].filter((n) => !loadedNames.has(n) && !misShapedNames.has(n)).map((n) => `${(options.prefix ?? '') + n} [torch ${torchShapeOf(store.entry(n).layout, [...store.get(n).shape])}]`);
    if (misShaped.length || (options.strict && (missing.length || unexpected.length))) {
      throw new CheckpointMismatchError(file.path, options.strict ? missing : [], options.strict ? unexpected : [], misShaped);
    }
    for (const { key, name } of plan) {
      const entry = store.entry(name);
      const host = torchToTf(entry.layout, file.read(key));
      tf.tidy(() => entry.variable.assign(tf.tensor(host.data, host.shape)));
    }
    return { loaded: plan.map((p) => p.name), missing, unexpected };
  } finally {
    if (typeof source === 'string') file.close();
  }
}

/** Writes the store (or a subset) as torch-layout float32 safetensors that PyTorch's load_state_dict accepts. */
export function saveTorchCheckpoint(store: ParamStore, path: string, filter?: (name: string) => boolean, options: { prefix?: string; metadata?: Record<string, string> } = {}): void {
  const tensors = new Map<string, HostTensor>();
  for (const name of store.names(filter)) {
    const entry = store.entry(name);
    const host: HostTensor = { shape: [...entry.variable.shape], data: entry.variable.dataSync() as Float32Array };
    tensors.set((options.prefix ?? '') + name, tfToTorch(entry.layout, host));
  }
  writeSafetensors(path, tensors, { format: 'pt', ...options.metadata });
}
