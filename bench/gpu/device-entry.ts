// Entry point of the GPU benchmark bundle (bench/gpu/run.sh bundles it with esbuild; it is never run from
// dist/). tfjs-core's gradients and chained ops are imported here statically, so src/compute/tfjs.ts finds
// them registered and skips its Node module hooks, which a bundle cannot use.
//   node main.mjs bench  --plan cases.json --mode gpu|swiftshader --out DIR [--batch N] [--steps N] [--no-profile]
//   node main.mjs report --tfjs DIR/tfjs.json --torch DIR/torch.json --command TEXT
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';
import { parseArgs } from 'node:util';
import { loadPlan } from '../model/plan.js';
import { runGpuBench } from './gpu-bench.js';
import { gpuReport } from './report.js';
import { startWebGpu } from './webgpu-start.js';

function positiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} ${text}: expected a positive integer`);
  return n;
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'report') {
    const { values } = parseArgs({ args: rest, options: { tfjs: { type: 'string' }, torch: { type: 'string' }, command: { type: 'string', default: '' } } });
    if (!values.tfjs || !values.torch) throw new Error('report needs --tfjs FILE and --torch FILE');
    process.stdout.write(gpuReport(values.tfjs, values.torch, values.command!) + '\n');
    return;
  }
  if (command !== 'bench') throw new Error(`unknown command '${command ?? ''}': expected bench or report`);
  const { values } = parseArgs({
    args: rest,
    options: {
      plan: { type: 'string', default: 'cases.json' },
      mode: { type: 'string', default: 'gpu' },
      out: { type: 'string', default: 'out' },
      batch: { type: 'string' },
      steps: { type: 'string' },
      'no-profile': { type: 'boolean', default: false },
    },
  });
  const plan = loadPlan(values.plan!);
  plan.batch = positiveInt(values.batch, '--batch') ?? plan.batch;
  plan.ddimSteps = positiveInt(values.steps, '--steps') ?? plan.ddimSteps;
  const gpu = await startWebGpu();
  process.stderr.write(`tfjs webgpu on ${gpu.device || gpu.description} (${gpu.vendor}/${gpu.architecture}), plan '${values.mode}', batch ${plan.batch}, ${plan.ddimSteps} DDIM steps\n`);
  await runGpuBench({ plan, mode: values.mode!, gpu, outDir: values.out!, profile: !values['no-profile'] });
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`gpu bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
