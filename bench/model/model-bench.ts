// tfjs side of the model benchmark: for each plan entry, time one training step (forward + backward + AdamW)
// or one 50-step DDIM sample with classifier-free guidance, on the real src/sonic UNet. Writes a JSON result
// file that report.ts joins with torch_bench.py's. Run through bench/model/run.sh.
//   node dist/bench/model/model-bench.js --plan bench/model/cases.json --mode full --out r.json [--profile]
//     [--only sample-ddim50-cfg:small]   (the plan entries whose op:config contains this text; torch_bench.py too)
// SONIC_WASM_THREADS=N selects the threaded wasm build (compute/wasm-threads.ts).
import * as tf from '@tensorflow/tfjs-core';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { selectBackend } from '../../src/compute/backend.js';
import { profileKernels } from '../../src/compute/kernel-profile.js';
import { isAdapterParam, UNet2DCondition } from '../../src/sonic/unet/unet2d-condition.js';
import { groupedAdamW } from '../../src/sonic/training/optimizer.js';
import type { AdamW } from '../../src/compute/adamw.js';
import { guidedEpsilon, sample } from '../../src/sonic/guidance/cfg-sampler.js';
import { loadPlan, median, unetConfigOf, type BenchOp, type BenchPlan, type PlanEntry } from './plan.js';
import { buildModel, makeInputs, queueTrainStep, type BenchInputs, type BenchModel } from './bench-model.js';

export interface OpResult {
  op: BenchOp;
  config: string;
  params: number;
  trainable: number;
  ms: number[];
  medianMs: number;
  /** Process CPU time (user + system) per repeat: steadier than wall time on a shared machine. */
  cpuMs: number[];
  medianCpuMs: number;
  /** Loss of the last timed step, or mean |z0| of the sample: a sanity value, not compared across runtimes. */
  check: number;
}

export interface KernelRow {
  name: string;
  calls: number;
  ms: number;
  share: number;
}

export interface ProfileResult {
  op: BenchOp;
  config: string;
  /** What was profiled: one training step, or one guided ε evaluation (1/ddimSteps of a sample). */
  unit: string;
  totalKernelMs: number;
  byKernel: KernelRow[];
  /** The same, split by input shapes (shape text in the name). */
  byCall: KernelRow[];
}

export interface BenchOutput {
  runtime: 'tfjs';
  backend: string;
  threads: number;
  results: OpResult[];
  profiles: ProfileResult[];
}

/** One timed training step: queue it, then wait for the loss. */
function trainStep(model: BenchModel, optimizer: AdamW, inputs: BenchInputs, stepSeed: number): number {
  const loss = queueTrainStep(model, optimizer, inputs, stepSeed);
  const value = loss.dataSync()[0]!;
  loss.dispose();
  return value;
}

function guidedSample(plan: BenchPlan, model: BenchModel, inputs: BenchInputs): number {
  const z = sample(model.unet, {
    latentShape: inputs.latents.shape,
    seed: plan.seed + 5,
    textTokens: inputs.text,
    nullTextTokens: inputs.nullText,
    audioTokens: inputs.audio,
    nullAudioTokens: inputs.nullAudio,
    steps: plan.ddimSteps,
    guidanceScale: plan.guidanceScale,
  });
  const check = tf.tidy(() => tf.mean(tf.abs(z)).dataSync()[0]!);
  z.dispose();
  return check;
}

function guidedEpsOnce(plan: BenchPlan, model: BenchModel, inputs: BenchInputs): tf.Tensor {
  const cond = { text: inputs.text, nullText: inputs.nullText, audio: inputs.audio, nullAudio: inputs.nullAudio };
  return guidedEpsilon(model.unet, inputs.latents, 981, cond, plan.guidanceScale);
}

/** tfjs tensor bytes and, on wasm, the size the WebAssembly heap has grown to. */
function heapMiB(): string {
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } };
  const tensors = `tensors ${(tf.memory().numBytes / 2 ** 20).toFixed(0)} MiB`;
  return backend.wasm ? `${tensors}, wasm heap ${(backend.wasm.HEAPU8.length / 2 ** 20).toFixed(0)} MiB` : tensors;
}

function timed(fn: () => number): { ms: number; cpuMs: number; value: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000, value };
}

interface Prepared {
  model: BenchModel;
  inputs: BenchInputs;
  optimizer: AdamW | null;
  /** One unit of the op (step or sample); returns the sanity value. */
  run: (i: number) => number;
  warm: () => void;
  profileUnit: () => tf.Tensor | number;
  unit: string;
  dispose: () => void;
}

function prepare(plan: BenchPlan, op: BenchOp, configName: string): Prepared {
  const config = unetConfigOf(plan, configName);
  const trainable = op === 'train-full' ? () => true : op === 'train-adapters' ? isAdapterParam : () => false;
  const model = buildModel(config, plan.seed, trainable);
  const inputs = makeInputs(plan, configName, config);
  const dispose = (): void => {
    optimizer?.dispose();
    model.store.dispose();
    for (const t of Object.values(inputs)) (t as tf.Tensor).dispose();
  };
  const optimizer =
    op === 'sample-ddim50-cfg'
      ? null
      : groupedAdamW([{ name: op, variables: model.trainable, lr: plan.adamw.lr }], { weightDecay: plan.adamw.weightDecay, betas: plan.adamw.betas, eps: plan.adamw.eps });
  if (optimizer) {
    const step = (i: number): number => trainStep(model, optimizer, inputs, plan.seed + 1000 + i);
    return { model, inputs, optimizer, run: step, warm: () => step(-1), profileUnit: () => step(-2), unit: 'one training step', dispose };
  }
  return {
    model,
    inputs,
    optimizer,
    run: () => guidedSample(plan, model, inputs),
    warm: () => guidedEpsOnce(plan, model, inputs).dispose(),
    profileUnit: () => guidedEpsOnce(plan, model, inputs),
    unit: `one guided ε evaluation (UNet on batch ${2 * plan.batch}); a sample is ${plan.ddimSteps} of these`,
    dispose,
  };
}

function runEntry(plan: BenchPlan, entry: PlanEntry): OpResult {
  const config = unetConfigOf(plan, entry.config);
  const counts = UNet2DCondition.parameterCount(config);
  const p = prepare(plan, entry.op, entry.config);
  try {
    for (let i = 0; i < entry.warmup; i++) {
      p.warm();
      process.stderr.write(`  tfjs ${entry.op} ${entry.config} warm-up ${i + 1} done (${heapMiB()})\n`);
    }
    const ms: number[] = [];
    const cpuMs: number[] = [];
    let check = NaN;
    for (let i = 0; i < entry.repeats; i++) {
      const r = timed(() => p.run(i));
      ms.push(r.ms);
      cpuMs.push(r.cpuMs);
      check = r.value;
      process.stderr.write(`  tfjs ${entry.op} ${entry.config} #${i + 1}: ${r.ms.toFixed(0)} ms (cpu ${r.cpuMs.toFixed(0)} ms, ${heapMiB()})\n`);
    }
    const trainable = p.model.trainable.reduce((a, v) => a + v.size, 0);
    return { op: entry.op, config: entry.config, params: counts.total, trainable, ms, medianMs: median(ms), cpuMs, medianCpuMs: median(cpuMs), check };
  } finally {
    p.dispose();
  }
}

async function profileEntry(plan: BenchPlan, entry: PlanEntry, top: number): Promise<ProfileResult> {
  const p = prepare(plan, entry.op, entry.config);
  try {
    p.warm();
    const info = await tf.profile(() => {
      const r = p.profileUnit();
      return typeof r === 'number' ? tf.scalar(r) : r;
    });
    const byName = new Map<string, KernelRow>();
    const byCall = new Map<string, KernelRow>();
    let total = 0;
    for (const k of info.kernels) {
      const ms = Number(await Promise.resolve(k.kernelTimeMs)) || 0;
      total += ms;
      const add = (map: Map<string, KernelRow>, name: string): void => {
        const row = map.get(name) ?? { name, calls: 0, ms: 0, share: 0 };
        row.calls += 1;
        row.ms += ms;
        map.set(name, row);
      };
      add(byName, k.name);
      add(byCall, `${k.name} ${k.inputShapes.map((s) => `[${s?.join(',') ?? ''}]`).join('×')}${k.extraInfo ? ` ${k.extraInfo}` : ''}`);
    }
    const finish = (map: Map<string, KernelRow>): KernelRow[] =>
      [...map.values()]
        .sort((a, b) => b.ms - a.ms)
        .slice(0, top)
        .map((r) => ({ ...r, ms: Math.round(r.ms * 10) / 10, share: total > 0 ? Math.round((1000 * r.ms) / total) / 10 : 0 }));
    for (const t of info.result instanceof Array ? info.result : [info.result]) (t as tf.Tensor).dispose?.();
    return { op: entry.op, config: entry.config, unit: p.unit, totalKernelMs: Math.round(total), byKernel: finish(byName), byCall: finish(byCall) };
  } finally {
    p.dispose();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      plan: { type: 'string', default: 'bench/model/cases.json' },
      mode: { type: 'string', default: 'full' },
      out: { type: 'string' },
      profile: { type: 'boolean', default: false },
      only: { type: 'string' },
      top: { type: 'string', default: '10' },
    },
  });
  const plan = loadPlan(values.plan!);
  const entries = plan.plans[values.mode!];
  if (!entries) throw new Error(`${values.plan}: no plan '${values.mode}' (have ${Object.keys(plan.plans).join(', ')})`);
  const selected = values.only ? entries.filter((e) => `${e.op}:${e.config}`.includes(values.only!)) : entries;
  if (selected.length === 0) throw new Error(`--only ${values.only}: no entry of plan '${values.mode}' matches (it has ${entries.map((e) => `${e.op}:${e.config}`).join(', ')})`);
  const choice = await selectBackend({ requested: 'wasm' });
  process.stderr.write(`tfjs backend: ${choice.reason}\n`);
  const output: BenchOutput = { runtime: 'tfjs', backend: choice.name, threads: choice.threads, results: [], profiles: [] };
  for (const entry of selected) {
    output.results.push(runEntry(plan, entry));
    if (tf.memory().numTensors > 64) process.stderr.write(`warning: ${tf.memory().numTensors} tensors alive after ${entry.op} ${entry.config}\n`);
  }
  if (values.profile) {
    const seen = new Set<string>();
    for (const entry of selected) {
      const key = `${entry.op}:${entry.config}`;
      if (seen.has(key)) continue;
      seen.add(key);
      output.profiles.push(await profileEntry(plan, entry, Number(values.top)));
    }
  }
  const text = JSON.stringify(output, null, 1);
  if (values.out) writeFileSync(values.out, text);
  else process.stdout.write(text + '\n');
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`model bench failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
