// Bench: one attention forward pass (no gradient tape) on tfjs-wasm at the UNets' shapes, the fused kernel
// (csrc/attention.c) against the per-head XNNPACK path (2-D matMuls + Softmax per head), in CPU time,
// interleaved round by round so a busy machine shifts both alike. scaledDotProductAttention routes sampling
// by these numbers (compute/ops/attention.ts).
// Usage: node dist/bench/micro/attention-forward.js [ROUNDS=5]
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../src/compute/backend.js';
import { perHeadAttention } from '../../src/compute/ops/attention.js';
import { wasmFusedAttention } from '../../src/compute/wasm-kernels/attention.js';

/** [batch·heads, Nq, Nk, d]: small (32² latents) and mid (16²) at UNet batch 16 (a guided batch of 8). */
const SHAPES: Array<[string, number, number, number, number]> = [
  ['small self 32²', 64, 1024, 1024, 8],
  ['small cross 32²', 64, 1024, 77, 8],
  ['small self 16²', 64, 256, 256, 16],
  ['small cross 16²', 64, 256, 77, 16],
  ['mid self 16²', 128, 256, 256, 8],
  ['mid cross 16²', 128, 256, 77, 8],
  ['mid self 8²', 128, 64, 64, 16],
  ['mid cross 8²', 128, 64, 77, 16],
  ['mid self 4²', 128, 16, 16, 20],
  ['mid cross 4²', 128, 16, 77, 20],
];

function cpuMs(body: () => void): number {
  const c0 = process.cpuUsage();
  body();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 5);
  const choice = await selectBackend({ requested: 'wasm' });
  console.log(`backend ${choice.name}, ${choice.threads} thread(s); CPU ms per call, median of ${rounds} interleaved rounds`);
  console.log('| shape | heads × Nq × Nk × d | fused ms | per-head ms | per-head / fused | max |Δ| |');
  console.log('|---|---|---|---|---|---|');
  for (const [name, heads, nq, nk, d] of SHAPES) {
    const [q, k, v] = [nq, nk, nk].map((n, i) => tf.randomNormal([heads / 8, 8, n, d], 0, 1.5, 'float32', i + 1) as tf.Tensor4D) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    const scale = 1 / Math.sqrt(d);
    // Enough calls per timing that one timing is at least ~20 ms of work.
    const calls = Math.max(1, Math.round(3e7 / (heads * nq * nk)));
    const paths = [() => wasmFusedAttention(q, k, v, scale), () => perHeadAttention(q, k, v, scale)];
    const times: number[][] = [[], []];
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(paths[0]!(), paths[1]!()))).dataSync()[0]!);
    for (let r = 0; r < rounds; r++)
      paths.forEach((path, i) => {
        times[i]!.push(cpuMs(() => {
          for (let c = 0; c < calls; c++) tf.tidy(() => void path().dataSync());
        }) / calls);
      });
    const [fused, perHead] = times.map(median) as [number, number];
    console.log(`| ${name} | ${heads} × ${nq} × ${nk} × ${d} | ${fused.toFixed(2)} | ${perHead.toFixed(2)} | ${(perHead / fused).toFixed(2)}× | ${diff.toExponential(1)} |`);
    tf.dispose([q, k, v]);
  }
}

await main();
