// Parameter declarations shared by the UNet and the VAE: every parameter is named by its diffusers
// state_dict key, has a tfjs shape and the TorchLayout that converts it from/to the PyTorch tensor.
import type * as tf from '@tensorflow/tfjs-core';
import type { TorchLayout } from '../../compute/torch-layout.js';

/** How a freshly created parameter is initialised (mirrors torch's defaults for the module type). */
export type ParamInit =
  | { kind: 'zeros' }
  | { kind: 'ones' }
  | { kind: 'constant'; value: number }
  /** U(−bound, bound): torch's kaiming_uniform(a=√5) for Linear/Conv weights and their biases, bound = 1/√fan_in. */
  | { kind: 'uniform'; bound: number };

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
  const specs: ParamSpec[] = [{ name: joinKey(prefix, 'weight'), shape: [inDim, outDim], layout: 'linear', init: { kind: 'uniform', bound } }];
  if (bias) specs.push({ name: joinKey(prefix, 'bias'), shape: [outDim], layout: 'plain', init: { kind: 'uniform', bound } });
  return specs;
}

export function conv2dSpecs(prefix: string, inCh: number, outCh: number, kernel: number): ParamSpec[] {
  const bound = 1 / Math.sqrt(inCh * kernel * kernel);
  return [
    { name: joinKey(prefix, 'weight'), shape: [kernel, kernel, inCh, outCh], layout: 'conv2d', init: { kind: 'uniform', bound } },
    { name: joinKey(prefix, 'bias'), shape: [outCh], layout: 'plain', init: { kind: 'uniform', bound } },
  ];
}

/** GroupNorm / LayerNorm affine parameters. */
export function normSpecs(prefix: string, channels: number): ParamSpec[] {
  return [
    { name: joinKey(prefix, 'weight'), shape: [channels], layout: 'plain', init: { kind: 'ones' } },
    { name: joinKey(prefix, 'bias'), shape: [channels], layout: 'plain', init: { kind: 'zeros' } },
  ];
}

export function countParams(specs: readonly ParamSpec[]): number {
  return specs.reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1), 0);
}
