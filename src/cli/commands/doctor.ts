// sonic doctor: what this machine can run. Compute backends (which load, which `auto` picks and why), GPU
// adapters with the limits that bound model size, whether SD-1.4 fits each backend, ffmpeg and Slurm.
import { computeReport, type ComputeReport } from '../../compute/backend-report.js';
import { adapterCapacity, assertModelFits, backendCapacity, formatGiB, type BackendCapacity } from '../../compute/capacity/backend-capacity.js';
import { ffmpegAvailable, ffmpegBinaries, FFMPEG_INSTALL_HINT } from '../../data/media/ffmpeg.js';
import { DEFAULT_SLURM_COMMANDS, runCommand as runSlurm } from '../../engine/exec/slurm/slurm-cli.js';
import { estimateUNetMemory } from '../../sonic/unet/memory-estimate.js';
import { SD14_UNET_CONFIG } from '../../sonic/unet/config.js';
import { processIo, runCommand, type Io } from '../run-command.js';
import { DOCTOR as SPEC } from '../specs/tool-commands.js';


interface Tool {
  name: string;
  usable: boolean;
  why: string;
}

const SD14_WORKLOADS = [
  { what: 'SD-1.4 sampling, 512 px (64×64 latents, CFG batch 2)', batch: 2, training: false },
  { what: 'SD-1.4 adapter training, 512 px, batch 1', batch: 1, training: true },
];

function sd14Fits(report: ComputeReport): Array<{ backend: string; workload: string; needGiB: number; fits: boolean; why: string }> {
  const rows = [];
  for (const b of report.backends.filter((x) => x.loads && x.name !== 'tensorflow')) {
    const capacity: BackendCapacity = b.name === 'webgpu' ? adapterCapacity(report.adapters.find((a) => !a.isFallback) ?? report.adapters[0]!) : backendCapacity(b.name);
    for (const w of SD14_WORKLOADS) {
      const need = estimateUNetMemory(SD14_UNET_CONFIG, { batch: w.batch, latentSide: 64, training: w.training });
      let fits = true;
      let why = '';
      try {
        why = assertModelFits({ model: w.what, ...need }, capacity);
      } catch (e) {
        fits = false;
        why = (e as Error).message.split('. ')[0]!;
      }
      rows.push({ backend: b.name, workload: w.what, needGiB: Number((need.totalBytes / 2 ** 30).toFixed(2)), fits, why });
    }
  }
  return rows;
}

async function ffmpegStatus(env: NodeJS.ProcessEnv): Promise<Tool> {
  const bins = ffmpegBinaries(env);
  if (await ffmpegAvailable(env)) return { name: 'ffmpeg', usable: true, why: `${bins.ffmpeg} and ${bins.ffprobe} start (needed to ingest the paper's videos)` };
  return { name: 'ffmpeg', usable: false, why: `${bins.ffmpeg}/${bins.ffprobe} not found: install ffmpeg (${FFMPEG_INSTALL_HINT}) or set SONIC_FFMPEG; needed to ingest the paper's videos` };
}

async function slurmStatus(): Promise<Tool> {
  const version = await runSlurm('sinfo', ['--version']);
  if (!version.ok) return { name: 'slurm', usable: false, why: `sinfo not found or failing (${version.stderr.split('\n')[0] || `exit ${version.exitCode}`}): --executor slurm is unavailable; the local executor is used` };
  const parts = await runSlurm('sinfo', ['-h', '-o', '%P %a %D']);
  if (!parts.ok) return { name: 'slurm', usable: false, why: `${version.stdout.trim()} installed, but no controller answers (${parts.stderr.split('\n')[0]})` };
  const submit = await runSlurm(DEFAULT_SLURM_COMMANDS.sbatch, ['--version']);
  return {
    name: 'slurm',
    usable: submit.ok,
    why: submit.ok ? `${version.stdout.trim()}; partitions: ${parts.stdout.trim().split('\n').join(', ') || 'none'} (--executor slurm)` : 'sinfo answers but sbatch does not start',
  };
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, async (values) => {
    const report = await computeReport();
    const fits = sd14Fits(report);
    const tools = [await ffmpegStatus(io.env), await slurmStatus()];
    if (values.json === true) {
      io.stdout(`${JSON.stringify({ ...report, sd14: fits, tools }, null, 2)}\n`);
      return 0;
    }
    const lines = ['Compute backends (auto order):'];
    for (const b of report.backends) lines.push(`  ${b.name.padEnd(10)} ${b.loads ? (b.auto ? 'usable' : 'forced only') : 'unavailable'}: ${b.why}`);
    lines.push(`  auto picks: ${report.autoPick} (SONIC_BACKEND=<name> forces one)`, '', 'GPU adapters (Dawn; index = GPU id for --gpus / resources.gpu):');
    if (report.adapters.length === 0) lines.push('  none');
    for (const a of report.adapters) {
      lines.push(
        `  ${a.index}: '${a.name}' (${a.backend}, ${a.vendor || 'unknown vendor'}${a.isFallback ? ', fallback/software' : ''}) maxBufferSize ${formatGiB(a.maxBufferSize)}, maxStorageBufferBindingSize ${formatGiB(a.maxStorageBufferBindingSize)}`,
      );
    }
    lines.push('', `SD-1.4 with adapters (${(888_012_174).toLocaleString('en-US')} parameters, ${formatGiB(888_012_174 * 4)} of fp32 weights):`);
    for (const f of fits) lines.push(`  ${f.backend.padEnd(7)} ${f.workload}: ~${f.needGiB} GiB, ${f.fits ? 'fits' : `does not fit (${f.why.replace(/^.*?: more than /, 'more than ')})`}`);
    lines.push('', 'Tools:');
    for (const t of tools) lines.push(`  ${t.name.padEnd(10)} ${t.usable ? 'usable' : 'unavailable'}: ${t.why}`);
    io.stdout(`${lines.join('\n')}\n`);
    return 0;
  });
}
