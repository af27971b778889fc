// The shared model-benchmark plan (bench/model/cases.json), read by the tfjs bench; torch_bench.py reads the
// same file. UNet configs are stored as diffusers UNet2DConditionModel keyword arguments so the PyTorch side
// can pass them through unchanged; here they become the TypeScript UNetConfig.
import { readFileSync } from 'node:fs';
import { validateUNetConfig, type DownBlockType, type UNetConfig, type UpBlockType } from '../../src/sonic/unet/config.js';

export type BenchOp = 'train-adapters' | 'train-full' | 'sample-ddim50-cfg';
export const BENCH_OPS: readonly BenchOp[] = ['train-adapters', 'train-full', 'sample-ddim50-cfg'];

export interface DiffusersUNetArgs {
  sample_size: number;
  in_channels: number;
  out_channels: number;
  block_out_channels: number[];
  layers_per_block: number;
  down_block_types: DownBlockType[];
  up_block_types: UpBlockType[];
  attention_head_dim: number | number[];
  cross_attention_dim: number;
  norm_num_groups: number;
  norm_eps: number;
  flip_sin_to_cos: boolean;
  freq_shift: number;
}

export interface AdapterArgs {
  audio_cross_attention_dim: number;
  adapter_heads: number;
  use_adapter: [boolean, boolean, boolean];
}

export interface BenchConfig {
  /** Latents are latentSize × latentSize × latentChannels. */
  latentSize: number;
  unet: DiffusersUNetArgs;
  adapter: AdapterArgs;
}

export interface PlanEntry {
  op: BenchOp;
  config: string;
  /** Untimed runs first. For sampling: untimed guided ε evaluations (one UNet call on the CFG batch). */
  warmup: number;
  repeats: number;
}

export interface BenchPlan {
  seed: number;
  batch: number;
  latentChannels: number;
  textTokens: number;
  audioTokens: number;
  guidanceScale: number;
  ddimSteps: number;
  adamw: { lr: number; weightDecay: number; betas: [number, number]; eps: number };
  configs: Record<string, BenchConfig>;
  plans: Record<string, PlanEntry[]>;
}

export class PlanError extends Error {}

export function loadPlan(path: string): BenchPlan {
  let plan: BenchPlan;
  try {
    plan = JSON.parse(readFileSync(path, 'utf8')) as BenchPlan;
  } catch (e) {
    throw new PlanError(`${path}: cannot read the bench plan: ${(e as Error).message}`);
  }
  for (const [name, c] of Object.entries(plan.configs)) {
    if (!(Number.isInteger(c.latentSize) && c.latentSize >= 1)) throw new PlanError(`${path}: configs.${name}.latentSize: expected a positive integer`);
  }
  for (const [name, entries] of Object.entries(plan.plans)) {
    entries.forEach((e, i) => {
      const where = `${path}: plans.${name}[${i}]`;
      if (!BENCH_OPS.includes(e.op)) throw new PlanError(`${where}.op: expected one of ${BENCH_OPS.join(', ')}, got ${JSON.stringify(e.op)}`);
      if (!plan.configs[e.config]) throw new PlanError(`${where}.config: no config '${e.config}' (have ${Object.keys(plan.configs).join(', ')})`);
      if (!(Number.isInteger(e.repeats) && e.repeats >= 1)) throw new PlanError(`${where}.repeats: expected a positive integer`);
      if (!(Number.isInteger(e.warmup) && e.warmup >= 0)) throw new PlanError(`${where}.warmup: expected an integer ≥ 0`);
    });
  }
  return plan;
}

export function unetConfigOf(plan: BenchPlan, name: string): UNetConfig {
  const entry = plan.configs[name];
  if (!entry) throw new PlanError(`bench plan: no config '${name}'`);
  const u = entry.unet;
  const a = entry.adapter;
  return validateUNetConfig({
    sampleSize: u.sample_size,
    inChannels: u.in_channels,
    outChannels: u.out_channels,
    blockOutChannels: u.block_out_channels,
    layersPerBlock: u.layers_per_block,
    downBlockTypes: u.down_block_types,
    upBlockTypes: u.up_block_types,
    attentionHeadDim: u.attention_head_dim,
    crossAttentionDim: u.cross_attention_dim,
    audioCrossAttentionDim: a.audio_cross_attention_dim,
    adapterHeads: a.adapter_heads,
    useAdapter: a.use_adapter,
    normNumGroups: u.norm_num_groups,
    normEps: u.norm_eps,
    flipSinToCos: u.flip_sin_to_cos,
    freqShift: u.freq_shift,
  });
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
