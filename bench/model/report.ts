// Joins the tfjs and PyTorch model-bench results into a markdown table (printed) and writes it, with the
// command, machine, load and date, into the `## Model` section of bench/README.md (other sections are kept).
//   node dist/bench/model/report.js --tfjs t.json --torch1 a.json --torch2 b.json --command "…" --readme bench/README.md
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { BenchOutput, OpResult, ProfileResult } from './model-bench.js';
import { loadPlan } from './plan.js';

interface TorchOutput {
  runtime: 'torch';
  version: string;
  threads: number;
  results: OpResult[];
}

const OP_TEXT: Record<string, string> = {
  'train-adapters': 'train step, adapters only (stage 2: frozen UNet)',
  'train-full': 'train step, full UNet',
  'sample-ddim50-cfg': 'DDIM 50-step sample, CFG',
};

function fmtMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)}`;
}

function fmtCount(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : `${(n / 1e3).toFixed(1)} k`;
}

function ratio(a: number, b: number | undefined): string {
  return b ? `${(a / b).toFixed(2)}×` : '–';
}

export function modelTable(plan: ReturnType<typeof loadPlan>, tfjs: BenchOutput, torch1: TorchOutput, torch2: TorchOutput | null): string {
  const find = (out: { results: OpResult[] } | null, r: OpResult): OpResult | undefined => out?.results.find((x) => x.op === r.op && x.config === r.config);
  const rows = [
    `| op | config | params (trainable) | input | tfjs-wasm 1 thread, ms | torch 1 thread, ms | ratio | ratio, CPU time | torch 2 threads, ms | runs |`,
    `|---|---|---|---|---|---|---|---|---|---|`,
  ];
  for (const r of tfjs.results) {
    const t1 = find(torch1, r);
    const t2 = find(torch2, r);
    if (t1 && t1.params !== r.params) throw new Error(`${r.op} ${r.config}: tfjs model has ${r.params} parameters, torch ${t1.params}: the configs differ`);
    const s = plan.configs[r.config]!.latentSize;
    const b = r.op === 'sample-ddim50-cfg' ? `${plan.batch} (UNet batch ${2 * plan.batch})` : `${plan.batch}`;
    const input = `${b} × ${s}×${s}×${plan.latentChannels}`;
    const trainable = r.op === 'sample-ddim50-cfg' ? '' : ` (${fmtCount(r.trainable)})`;
    rows.push(
      `| ${OP_TEXT[r.op] ?? r.op} | ${r.config} | ${fmtCount(r.params)}${trainable} | ${input} | ${fmtMs(r.medianMs)} | ${t1 ? fmtMs(t1.medianMs) : '–'} | ` +
        `**${ratio(r.medianMs, t1?.medianMs)}** | ${ratio(r.medianCpuMs, t1?.medianCpuMs)} | ${t2 ? fmtMs(t2.medianMs) : '–'} | ${r.ms.length} |`,
    );
  }
  return rows.join('\n');
}

export function profileText(profiles: ProfileResult[], top = 8): string {
  const parts: string[] = [];
  for (const p of profiles) {
    const kernels = p.byKernel.filter((k) => k.name !== 'unnamed scope');
    const summed = kernels.reduce((a, k) => a + k.ms, 0);
    const list = kernels
      .slice(0, top)
      .map((k) => `${k.name} ${Math.round((100 * k.ms) / Math.max(summed, 1e-9))}% (${k.calls})`)
      .join(', ');
    const calls = p.byCall
      .filter((k) => !k.name.startsWith('unnamed scope'))
      .slice(0, 5)
      .map((k) => `\`${k.name}\` ${Math.round((100 * k.ms) / Math.max(summed, 1e-9))}% (${k.calls})`)
      .join('; ');
    parts.push(`- **${p.op} / ${p.config}** (${p.unit}): ${list}.\n  Largest call shapes: ${calls}.`);
  }
  return parts.join('\n');
}

/** Replaces (or appends) the `## Model` section of a markdown file, keeping every other section. */
export function replaceSection(text: string, heading: string, body: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading);
  const section = [heading, '', body.trimEnd(), ''];
  if (start < 0) return [...(text.trim() ? [text.trimEnd(), ''] : []), ...section].join('\n');
  let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  if (end < 0) end = lines.length;
  return [...lines.slice(0, start), ...section, ...lines.slice(end)].join('\n').replace(/\n{3,}/g, '\n\n');
}

function main(): void {
  const { values } = parseArgs({
    options: {
      plan: { type: 'string', default: 'bench/model/cases.json' },
      mode: { type: 'string', default: 'full' },
      tfjs: { type: 'string' },
      torch1: { type: 'string' },
      torch2: { type: 'string' },
      command: { type: 'string', default: 'bash bench/model/run.sh' },
      machine: { type: 'string', default: '' },
      load: { type: 'string', default: '' },
      readme: { type: 'string' },
    },
  });
  if (!values.tfjs || !values.torch1) throw new Error('report: --tfjs and --torch1 result files are required');
  const plan = loadPlan(values.plan!);
  const tfjs = JSON.parse(readFileSync(values.tfjs, 'utf8')) as BenchOutput;
  const torch1 = JSON.parse(readFileSync(values.torch1, 'utf8')) as TorchOutput;
  const torch2 = values.torch2 && existsSync(values.torch2) ? (JSON.parse(readFileSync(values.torch2, 'utf8')) as TorchOutput) : null;
  const table = modelTable(plan, tfjs, torch1, torch2);
  process.stdout.write(table + '\n');
  if (!values.readme) return;
  const body = [
    `Command: \`${values.command}\` (mode \`${values.mode}\`, plan \`${values.plan}\`). Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    `Machine: ${values.machine}. Load average (1/5/15 min) ${values.load}: other work shared the cores, so wall times are inflated; the CPU-time ratio (process user+system time) is the steadier comparison.`,
    `tfjs ${tfjs.backend} backend, ${tfjs.threads} thread(s); PyTorch ${torch1.version} CPU, fp32, \`torch.set_num_threads(1)\`${torch2 ? ' (and 2 for context)' : ' (the 2-thread run was skipped or did not finish)'}. ` +
      `Median of the timed runs after ${plan.plans[values.mode!]?.some((e) => e.warmup > 0) ? 'warm-up runs (excluded)' : 'no warm-up'}; a sample's warm-up is one guided ε evaluation. ` +
      `Batch ${plan.batch}, ${plan.textTokens} text and ${plan.audioTokens} audio tokens, AdamW (lr ${plan.adamw.lr}, wd ${plan.adamw.weightDecay}), guidance ${plan.guidanceScale}, ${plan.ddimSteps} DDIM steps. ` +
      'Both sides build the same UNet from `bench/model/cases.json` (diffusers `UNet2DConditionModel` + the gated adapters of `tools/reference/tiny_models.py` on the torch side); the parameter counts are checked equal. ' +
      'The adapter step is stage 2 without the projector (audio tokens are given).',
    '',
    table,
    ...(tfjs.profiles.length
      ? ['', 'Where the tfjs time goes (`tf.profile`, one unit per op, share of summed kernel time, calls in parentheses):', '', profileText(tfjs.profiles)]
      : []),
  ].join('\n');
  const readme = values.readme;
  const old = existsSync(readme) ? readFileSync(readme, 'utf8') : '# Benchmarks\n';
  const marker = '<!-- bench/model/report.ts writes the table above; analysis below is kept -->';
  const oldBody = sectionBody(old, '## Model');
  const kept = oldBody.includes(marker) ? oldBody.slice(oldBody.indexOf(marker)) : marker;
  writeFileSync(readme, replaceSection(old, '## Model', `${body}\n\n${kept.trimEnd()}`) + '\n');
  process.stdout.write(`wrote the Model section of ${readme}\n`);
}

function sectionBody(text: string, heading: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading);
  if (start < 0) return '';
  let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  if (end < 0) end = lines.length;
  return lines.slice(start + 1, end).join('\n');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  try {
    main();
  } catch (e) {
    process.stderr.write(`model report failed: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
