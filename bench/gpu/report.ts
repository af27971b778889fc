// Joins the two sides of the GPU benchmark (tfjs.json from gpu-bench.ts, torch.json from torch_gpu.py) into
// the markdown that bench/README.md records: a timing table with the tfjs/PyTorch ratio per op, and the
// per-kernel profile of one adapter step.
import { existsSync, readFileSync } from 'node:fs';
import type { GpuBenchOutput } from './gpu-bench.js';
import { kernelMarkdown } from './kernel-table.js';

export interface TorchOutput {
  runtime: 'torch';
  version: string;
  device: string;
  tf32: boolean;
  results: Array<{ op: string; config: string; params: number; trainable: number; ms: number[]; medianMs: number; check: number }>;
}

function readJson<T>(path: string): T | null {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : null;
}

const fmtMs = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);

export function gpuReport(tfjsPath: string, torchPath: string, command: string): string {
  const tfjs = readJson<GpuBenchOutput>(tfjsPath);
  if (!tfjs) throw new Error(`${tfjsPath}: no tfjs result (the tfjs side did not finish)`);
  const torch = readJson<TorchOutput>(torchPath);
  const g = tfjs.gpu;
  const lines = [
    `Command: \`${command}\`. Adapter: ${g.device || g.description || g.architecture} (vendor ${g.vendor}, ${g.architecture}; timestamp queries ${g.timestampQuery ? 'yes' : 'no'}). ` +
      `tfjs ${tfjs.backend} backend, fp32; ` +
      (torch ? `PyTorch ${torch.version} on ${torch.device}, fp32, TF32 ${torch.tf32 ? 'on' : 'off'}.` : 'PyTorch: not run in this command (see below).') +
      ` Batch ${tfjs.batch}, ${tfjs.ddimSteps} DDIM steps with classifier-free guidance for the sample. Median of the timed runs after warm-up.`,
    '',
    '| op | config | params | trainable | tfjs webgpu | PyTorch | tfjs / PyTorch | tfjs runs |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of tfjs.results) {
    const t = torch?.results.find((x) => x.op === r.op && x.config === r.config);
    const ratio = t ? `${(r.medianMs / t.medianMs).toFixed(2)}×` : '–';
    const params = t && t.params !== r.params ? `${r.params} (torch ${t.params}!)` : `${(r.params / 1e6).toFixed(2)} M`;
    lines.push(
      `| ${r.op} | ${r.config} | ${params} | ${(r.trainable / 1e6).toFixed(2)} M | ${fmtMs(r.medianMs)} | ${t ? fmtMs(t.medianMs) : '–'} | ${ratio} | ${r.ms.map(fmtMs).join(', ')} |`,
    );
  }
  if (tfjs.profile) {
    lines.push(
      '',
      `Per-kernel profile, ${tfjs.profile.unit}, config ${tfjs.profile.config} (tf.profile; kernel times ${g.timestampQuery ? "from the adapter's timestamp queries" : 'unavailable: no timestamp-query feature'}):`,
      '',
      kernelMarkdown(tfjs.profile.kernels, tfjs.profile.totalKernelMs),
    );
  }
  return lines.join('\n');
}
