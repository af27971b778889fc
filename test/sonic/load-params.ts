// Loads a model's parameters from a PyTorch-layout safetensors file for tests.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { SafetensorsFile } from '../../src/compute/safetensors.js';
import { torchToTf } from '../../src/compute/torch-layout.js';
import type { ParamSpec } from '../../src/sonic/unet/param-spec.js';

export function loadParamsForTest(specs: ParamSpec[], file: SafetensorsFile, trainable: (name: string) => boolean = () => false): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const spec of specs) {
    const t = torchToTf(spec.layout, file.read(spec.name));
    assert.deepEqual(t.shape, spec.shape, spec.name);
    out.set(spec.name, trainable(spec.name) ? tf.variable(tf.tensor(t.data, t.shape), true, spec.name) : tf.tensor(t.data, t.shape));
  }
  return out;
}
