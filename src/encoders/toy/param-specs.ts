// The toy encoders declare their parameters as specs (name, tfjs shape, torch layout, init) and keep them in
// compute's ParamStore: seeded per-name initialisation, and safetensors checkpoints in PyTorch layout
// (linear [out, in], conv [out, in, kh, kw]) under the specs' names.
import * as tf from '@tensorflow/tfjs-core';
import { loadTorchCheckpoint, ParamStore, saveTorchCheckpoint } from '../../compute/param-store.js';
import type { TorchLayout } from '../../compute/torch-layout.js';

export interface ParamSpec {
  name: string;
  /** tfjs shape (linear [in, out], conv [kh, kw, in, out]). */
  shape: number[];
  layout: TorchLayout;
  /** 'uniform': ±1/√fanIn (PyTorch's default for linear/conv); 'normal': N(0, std²); 'constant': value. */
  init: 'uniform' | 'normal' | 'ones' | 'zeros' | 'constant';
  fanIn?: number;
  std?: number;
  value?: number;
}

/** Fresh parameters; the same specs and seed give bit-identical values. */
export function createParams(specs: readonly ParamSpec[], seed: number): ParamStore {
  const store = new ParamStore(seed);
  for (const s of specs) {
    if (s.init === 'constant') {
      const value = tf.fill(s.shape, s.value ?? 0);
      store.add(s.name, s.shape, s.layout, value);
      value.dispose(); // the variable keeps its own reference
    } else if (s.init === 'uniform') store.add(s.name, s.shape, s.layout, { uniform: 1 / Math.sqrt(s.fanIn ?? s.shape[0] ?? 1) });
    else if (s.init === 'normal') store.add(s.name, s.shape, s.layout, { normal: s.std ?? 0.02 });
    else store.add(s.name, s.shape, s.layout, s.init);
  }
  return store;
}

/** Parameters for `specs` read from a checkpoint written by saveParams (strict: nothing missing or extra). */
export function loadParams(specs: readonly ParamSpec[], path: string): ParamStore {
  const store = new ParamStore();
  for (const s of specs) store.add(s.name, s.shape, s.layout, 'zeros');
  try {
    loadTorchCheckpoint(store, path, { strict: true });
  } catch (e) {
    store.dispose();
    throw e;
  }
  return store;
}

export function saveParams(store: ParamStore, path: string, kind: string): void {
  saveTorchCheckpoint(store, path, undefined, { metadata: { format: 'sonictoy', kind } });
}

export function linearSpecs(name: string, inDim: number, outDim: number, bias = true): ParamSpec[] {
  const specs: ParamSpec[] = [{ name: `${name}.weight`, shape: [inDim, outDim], layout: 'linear', init: 'uniform', fanIn: inDim }];
  if (bias) specs.push({ name: `${name}.bias`, shape: [outDim], layout: 'plain', init: 'uniform', fanIn: inDim });
  return specs;
}

/** A norm's affine: `${name}.weight` (ones) and `${name}.bias` (zeros), shape [dim]. */
export function normSpecs(name: string, dim: number): ParamSpec[] {
  return [
    { name: `${name}.weight`, shape: [dim], layout: 'plain', init: 'ones' },
    { name: `${name}.bias`, shape: [dim], layout: 'plain', init: 'zeros' },
  ];
}

export const get1d = (p: ParamStore, name: string): tf.Tensor1D => p.get(name) as tf.Tensor1D;
export const get2d = (p: ParamStore, name: string): tf.Tensor2D => p.get(name) as tf.Tensor2D;
export const get4d = (p: ParamStore, name: string): tf.Tensor4D => p.get(name) as tf.Tensor4D;
