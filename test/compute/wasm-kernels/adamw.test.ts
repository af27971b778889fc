// The fused AdamW kernel (csrc/adamw.c) against the composed tfjs formulation (compute/adamw.ts), on wasm and
// against the cpu backend, and that the optimizer takes it on wasm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, randomData, useBackend } from '../tf-test-utils.js';
import { AdamW, composedAdamWStep } from '../../../src/compute/adamw.js';
import { wasmAdamWStep, ADAMW_KERNEL, type AdamWStepScalars } from '../../../src/compute/wasm-kernels/adamw.js';
import { profileKernels } from '../../../src/compute/kernel-profile.js';

const SHAPES = [[1], [3], [4], [7, 5], [2, 3, 3, 33]];

function tensor(shape: number[], seed: number, scale = 1): tf.Tensor {
  const data = randomData(shape.reduce((a, b) => a * b, 1), seed).map((x) => x * scale);
  return tf.tensor(data, shape);
}

test('on wasm the fused AdamW kernel equals the composed ops bit for bit (sizes off the SIMD width, with and without decay)', async () => {
  await useBackend('wasm');
  const before = tf.memory().numTensors;
  const cases: AdamWStepScalars[] = [
    { decay: 1 - 1e-3 * 1e-2, beta1: 0.9, beta2: 0.999, bc2Sqrt: Math.sqrt(1 - 0.999), eps: 1e-8, stepSize: 1e-3 / (1 - 0.9) },
    { decay: 1, beta1: 0.8, beta2: 0.95, bc2Sqrt: Math.sqrt(1 - 0.95 ** 7), eps: 1e-3, stepSize: 0.05 / (1 - 0.8 ** 7) },
  ];
  for (const [c, s] of cases.entries()) {
    for (const [i, shape] of SHAPES.entries()) {
      tf.tidy(() => {
        const seed = 10 * i + 100 * c;
        // v ≥ 0 as a second moment is; v and g span many decades so √v/bc2 and eps both matter.
        const decades = (k: number, span: number): tf.Tensor => tf.pow(10, tf.mul(tensor(shape, seed + k), span));
        const p = tensor(shape, seed + 1);
        const m = tensor(shape, seed + 2, 0.1);
        const v = tf.mul(tf.abs(tensor(shape, seed + 3)), decades(6, 4));
        const g = tf.mul(tensor(shape, seed + 4), decades(5, 4));
        const fused = wasmAdamWStep(p, m, v, g, s);
        const composed = composedAdamWStep(p, m, v, g, s);
        ['p', 'm', 'v'].forEach((name, k) => assert.deepEqual(fused[k]!.dataSync(), composed[k]!.dataSync(), `case ${c} [${shape}] ${name}`));
      });
    }
  }
  assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  await useBackend('cpu');
});

/** Two groups (one without weight decay), several steps, a parameter that misses a gradient in step 2. */
async function runOptimizer(backend: 'wasm' | 'cpu'): Promise<{ values: Float32Array[]; kernels: Set<string>; leaked: number }> {
  await useBackend(backend);
  const shapes = [[5, 3], [17], [2, 2, 4, 3]];
  const vars = shapes.map((s, i) => tf.variable(tensor(s, 50 + i)));
  const opt = new AdamW(
    [
      { params: [{ name: 'a', variable: vars[0]! }, { name: 'b', variable: vars[1]! }], lr: 0.01, weightDecay: 0.1 },
      { params: [{ name: 'c', variable: vars[2]! }], lr: 0.003, weightDecay: 0, betas: [0.85, 0.99], eps: 1e-2 },
    ],
    { eps: 1e-7 },
  );
  const before = tf.memory().numTensors;
  const kernels = new Set<string>();
  for (let step = 1; step <= 4; step++) {
    const grads = new Map(vars.filter((_, i) => !(step === 2 && i === 1)).map((v) => [v, tensor(v.shape, 1000 * step + v.size)] as const));
    const { profile } = await profileKernels(() => {
      opt.step(grads);
      return [];
    });
    for (const k of profile.kernels) kernels.add(k.name);
    tf.dispose([...grads.values()]);
  }
  const leaked = tf.memory().numTensors - before;
  const { tensors } = opt.state();
  const values = [...vars.map((v) => v.dataSync() as Float32Array), ...[...tensors.values()].map((t) => t.data)];
  opt.dispose();
  tf.dispose(vars);
  await useBackend('cpu');
  return { values, kernels, leaked };
}

test('AdamW over 4 steps on wasm (fused kernel) equals the composed ops on cpu: two groups, decay on and off, a skipped gradient', async () => {
  const wasm = await runOptimizer('wasm');
  const cpu = await runOptimizer('cpu');
  assert.equal(wasm.leaked, 0, 'tensors leaked on wasm');
  assert.equal(cpu.leaked, 0, 'tensors leaked on cpu');
  assert.deepEqual([...wasm.kernels], [ADAMW_KERNEL], `wasm ran ${[...wasm.kernels]}`);
  assert.ok(!cpu.kernels.has(ADAMW_KERNEL) && cpu.kernels.has('Sqrt'), `cpu ran ${[...cpu.kernels]}`);
  assert.equal(wasm.values.length, cpu.values.length);
  wasm.values.forEach((w, i) => assert.deepEqual(w, cpu.values[i], `tensor ${i} (parameters, then exp_avg/exp_avg_sq per parameter)`));
});
