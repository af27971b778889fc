// tfjs side of the GPU benchmark, on the webgpu backend: for each entry of a bench/gpu/cases.json plan, time
// an SD-1.4-size stage-2 training step (adapters trained, AdamW) or a 50-step DDIM sample with
// classifier-free guidance on the real src/sonic UNet, then profile one adapter step kernel by kernel
// (tf.profile; on webgpu its kernel times come from timestamp queries). Run through bench/gpu/run.sh, which
// bundles this with device-entry.ts so that it runs where no Node.js is installed.
import * as tf from '@tensorflow/tfjs-core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAdapterParam, UNet2DCondition } from '../../src/sonic/unet/unet2d-condition.js';
import { groupedAdamW } from '../../src/sonic/training/optimizer.js';
import type { AdamW } from '../../src/compute/adamw.js';
import { sample } from '../../src/sonic/guidance/cfg-sampler.js';
import { median, unetConfigOf, type BenchOp, type BenchPlan, type PlanEntry } from '../model/plan.js';
import { buildModel, makeInputs, queueTrainStep, type BenchInputs, type BenchModel } from '../model/bench-model.js';
import { kernelTable, type KernelRow } from './kernel-table.js';
import type { GpuInfo } from './webgpu-start.js';

export interface GpuOpResult {
  op: BenchOp;
  config: string;
  params: number;
  trainable: number;
  ms: number[];
  medianMs: number;
  /** Loss of the last timed step, or mean |z0| of the sample: a sanity value. */
  check: number;
}

export interface GpuBenchOutput {
  runtime: 'tfjs';
  backend: string;
  gpu: GpuInfo;
  batch: number;
  ddimSteps: number;
  results: GpuOpResult[];
  profile: { config: string; unit: string; totalKernelMs: number; kernels: KernelRow[] } | null;
}

/** One timed training step: queue it, then wait for the loss and the updated parameters (the GPU is done). */
async function trainStep(model: BenchModel, optimizer: AdamW, inputs: BenchInputs, stepSeed: number): Promise<number> {
  const loss = queueTrainStep(model, optimizer, inputs, stepSeed);
  const value = (await loss.data())[0]!;
  await Promise.all(optimizer.variables().slice(-1).map((v) => v.data()));
  loss.dispose();
  return value;
}

async function guidedSample(plan: BenchPlan, model: BenchModel, inputs: BenchInputs, steps: number): Promise<number> {
  const z = sample(model.unet, {
    latentShape: inputs.latents.shape,
    seed: plan.seed + 5,
    textTokens: inputs.text,
    nullTextTokens: inputs.nullText,
    audioTokens: inputs.audio,
    nullAudioTokens: inputs.nullAudio,
    steps,
    guidanceScale: plan.guidanceScale,
  });
  const m = tf.mean(tf.abs(z));
  const check = (await m.data())[0]!;
  tf.dispose([z, m]);
  return check;
}

interface Prepared {
  model: BenchModel;
  run: (i: number) => Promise<number>;
  dispose: () => void;
}

function prepare(plan: BenchPlan, op: BenchOp, configName: string): Prepared {
  if (op === 'train-full') throw new Error('bench/gpu: plan op train-full is not part of this benchmark (train-adapters or sample-ddim50-cfg)');
  const config = unetConfigOf(plan, configName);
  const model = buildModel(config, plan.seed, op === 'train-adapters' ? isAdapterParam : () => false);
  const inputs = makeInputs(plan, configName, config);
  const optimizer =
    op === 'train-adapters'
      ? groupedAdamW([{ name: op, variables: model.trainable, lr: plan.adamw.lr }], { weightDecay: plan.adamw.weightDecay, betas: plan.adamw.betas, eps: plan.adamw.eps })
      : null;
  const dispose = (): void => {
    optimizer?.dispose();
    model.store.dispose();
    for (const t of Object.values(inputs)) (t as tf.Tensor).dispose();
  };
  const run = optimizer ? (i: number) => trainStep(model, optimizer, inputs, plan.seed + 1000 + i) : () => guidedSample(plan, model, inputs, plan.ddimSteps);
  return { model, run, dispose };
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function runEntry(plan: BenchPlan, entry: PlanEntry): Promise<GpuOpResult> {
  const config = unetConfigOf(plan, entry.config);
  const p = prepare(plan, entry.op, entry.config);
  try {
    for (let i = 0; i < entry.warmup; i++) {
      const t0 = performance.now();
      await p.run(-1 - i);
      log(`  tfjs ${entry.op} ${entry.config} warm-up ${i + 1}: ${(performance.now() - t0).toFixed(0)} ms (shader compiles included)`);
    }
    const ms: number[] = [];
    let check = NaN;
    for (let i = 0; i < entry.repeats; i++) {
      const t0 = performance.now();
      check = await p.run(i);
      ms.push(performance.now() - t0);
      log(`  tfjs ${entry.op} ${entry.config} #${i + 1}: ${ms[i]!.toFixed(0)} ms (tensors ${(tf.memory().numBytes / 2 ** 20).toFixed(0)} MiB)`);
    }
    const trainable = p.model.trainable.reduce((a, v) => a + v.size, 0);
    return { op: entry.op, config: entry.config, params: UNet2DCondition.parameterCount(config).total, trainable, ms, medianMs: median(ms), check };
  } finally {
    p.dispose();
  }
}

/** Per-kernel times of one adapter training step (after a warm-up step), summed by tfjs kernel name. */
async function profileAdapterStep(plan: BenchPlan, configName: string): Promise<NonNullable<GpuBenchOutput['profile']>> {
  const p = prepare(plan, 'train-adapters', configName);
  try {
    await p.run(-1);
    // tf.profile takes a synchronous function: the step's kernels are queued inside it, the loss read after.
    const config = unetConfigOf(plan, configName);
    const model = p.model;
    const optimizer = groupedAdamW([{ name: 'profile', variables: model.trainable, lr: plan.adamw.lr }], { weightDecay: plan.adamw.weightDecay });
    const inputs = makeInputs(plan, configName, config);
    const info = await tf.profile(() => queueTrainStep(model, optimizer, inputs, plan.seed + 999));
    tf.dispose(info.result as tf.Tensor);
    optimizer.dispose();
    tf.dispose(Object.values(inputs));
    const table = await kernelTable(info.kernels);
    return { config: configName, unit: `one adapter training step (batch ${plan.batch})`, ...table };
  } finally {
    p.dispose();
  }
}

export interface GpuBenchOptions {
  plan: BenchPlan;
  mode: string;
  gpu: GpuInfo;
  outDir: string;
  profile: boolean;
}

export async function runGpuBench(o: GpuBenchOptions): Promise<GpuBenchOutput> {
  const entries = o.plan.plans[o.mode];
  if (!entries) throw new Error(`bench plan: no plan '${o.mode}' (have ${Object.keys(o.plan.plans).join(', ')})`);
  const output: GpuBenchOutput = { runtime: 'tfjs', backend: tf.getBackend(), gpu: o.gpu, batch: o.plan.batch, ddimSteps: o.plan.ddimSteps, results: [], profile: null };
  for (const entry of entries) output.results.push(await runEntry(o.plan, entry));
  const adapterEntry = entries.find((e) => e.op === 'train-adapters');
  if (o.profile && adapterEntry) {
    log(`  tfjs profiling one adapter step (${adapterEntry.config})…`);
    output.profile = await profileAdapterStep(o.plan, adapterEntry.config);
  }
  mkdirSync(o.outDir, { recursive: true });
  writeFileSync(join(o.outDir, 'tfjs.json'), JSON.stringify(output, null, 1));
  return output;
}
