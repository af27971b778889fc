// Parameter declarations shared by the UNet and the VAE: every parameter is named by its diffusers
// state_dict key, has a tfjs shape and the TorchLayout that converts it from/to the PyTorch tensor.
import type * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../../compute/param-store.js';
import type { TorchLayout } from '../../compute/torch-layout.js';

/**
 * How a fresh parameter is initialised, as ParamStore takes it. Mirrors torch's defaults: norms 1/0, Linear and
 * Conv weights and biases U(−b, b) with b = 1/√fan_in (kaiming_uniform(a=√5)), the adapter gate 0.
 */
export type ParamInit = 'zeros' | 'ones' | { uniform: number };

export interface ParamSpec {
  /** diffusers state_dict key, e.g. `down_blocks.0.resnets.0.conv1.weight`. */
  name: string;
  /** tfjs shape (e.g. conv2d [kh, kw, in, out]). */
  shape: number[];
  layout: TorchLayout;
  init: ParamInit;
}

/** Read access to named parameters; a ParamStore, a Map wrapper or a test double all qualify. */
export interface ParamLookup {
  get(name: string): tf.Tensor;
}

export function joinKey(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}

export function linearSpecs(prefix: string, inDim: number, outDim: number, bias: boolean): ParamSpec[] {
  const bound = 1 / Math.sqrt(inDim);
  const specs: ParamSpec[] = [{ name: joinKey(prefix, 'weight'), shape: [inDim, outDim], layout: 'linear', init: { uniform: bound } }];
  if (bias) specs.push({ name: joinKey(prefix, 'bias'), shape: [outDim], layout: 'plain', init: { uniform: bound } });
  return specs;
}

export function conv2dSpecs(prefix: string, inCh: number, outCh: number, kernel: number): ParamSpec[] {
  const bound = 1 / Math.sqrt(inCh * kernel * kernel);
  return [
    { name: joinKey(prefix, 'weight'), shape: [kernel, kernel, inCh, outCh], layout: 'conv2d', init: { uniform: bound } },
    { name: joinKey(prefix, 'bias'), shape: [outCh], layout: 'plain', init: { uniform: bound } },
  ];
}

/** GroupNorm / LayerNorm affine parameters. */
export function normSpecs(prefix: string, channels: number): ParamSpec[] {
  return [
    { name: joinKey(prefix, 'weight'), shape: [channels], layout: 'plain', init: 'ones' },
    { name: joinKey(prefix, 'bias'), shape: [channels], layout: 'plain', init: 'zeros' },
  ];
}

export function countParams(specs: readonly ParamSpec[]): number {
  return specs.reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1), 0);
}

/**
 * Adds every spec to `store` with its init. `trainable` picks the parameters an optimizer may update
 * (default: all); e.g. pass `isAdapterParam` for SonicDiffusion stage 2.
 */
export function addParamsToStore(store: ParamStore, specs: readonly ParamSpec[], trainable: (name: string) => boolean = () => true): void {
  for (const s of specs) store.add(s.name, s.shape, s.layout, s.init, { trainable: trainable(s.name) });
}
