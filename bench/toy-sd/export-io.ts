// Writes a saved toy-SD's outputs on fixed inputs (NCHW, torch layout) so bench/toy-sd/diffusers_check.py can
// confirm that diffusers loads the same directory and computes the same ε and decoded images.
// Usage: node dist/bench/toy-sd/export-io.js <toy-sd dir> <out.safetensors>
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../src/compute/backend.js';
import { writeSafetensors, type HostTensor } from '../../src/compute/safetensors.js';
import { loadToySd } from '../../src/encoders/toy/toy-sd/index.js';

const [dir, out] = process.argv.slice(2);
if (!dir || !out) throw new Error('usage: export-io.js <toy-sd dir> <out.safetensors>');
await selectBackend({ requested: 'wasm' });
const model = loadToySd(dir);
const c = model.unet.config;
/** A smooth deterministic pattern both sides can rebuild: sin(0.37·i + phase). */
const pattern = (shape: number[], phase: number) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(0.37 * i + phase)), shape);
const nchw = (t: tf.Tensor): HostTensor => {
  const x = t.rank === 4 ? tf.transpose(t, [0, 3, 1, 2]) : t;
  return { shape: [...x.shape], data: x.dataSync() as Float32Array };
};
const sample = pattern([2, c.sampleSize, c.sampleSize, c.inChannels], 0) as tf.Tensor4D;
const text = pattern([2, model.textEncoder?.maxTokens ?? 16, c.crossAttentionDim], 1) as tf.Tensor3D;
const eps = model.unet.predict({ sample, timestep: tf.tensor1d([10, 700]), textTokens: text });
const decoded = model.vae.decode(sample);
const image = pattern([1, model.imageSize, model.imageSize, 3], 2) as tf.Tensor4D;
const mean = model.vae.encode(image);
writeSafetensors(out, new Map([
  ['sample', nchw(sample)],
  ['text', nchw(text)],
  ['eps', nchw(eps)],
  ['decoded', nchw(decoded)],
  ['image', nchw(image)],
  ['mean', nchw(mean)],
]));
console.log(`wrote ${out}`);
