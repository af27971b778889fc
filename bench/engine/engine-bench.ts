// Generates the same N-stage DAG for sonic, DVC and Snakemake (10 independent chains of `cp` stages, each
// stage copying its predecessor's output), then times a cold run and a fully cached rerun of each.
// Prints a markdown table with the ratios. Run through bench/engine/run.sh.
// --systems sonic,dvc,snakemake picks which to measure; --save FILE merges the medians into FILE (JSON) and
// the table shows every system in it, so the slow competitors can be measured once and sonic again later.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    stages: { type: 'string', default: '500' },
    repeats: { type: 'string', default: '3' },
    venv: { type: 'string', default: 'bench/.venv' },
    chains: { type: 'string', default: '10' },
    systems: { type: 'string', default: 'sonic,dvc,snakemake' },
    save: { type: 'string' },
  },
});
const stages = Number(values.stages);
const repeats = Number(values.repeats);
const chains = Number(values.chains);
const venv = resolve(values.venv!);
const sonicBin = resolve('dist/src/cli/main.js');

interface StageShape {
  id: string;
  input: string; // relative path of the input file
  output: string;
}

function shape(): StageShape[] {
  const out: StageShape[] = [];
  for (let i = 0; i < stages; i++) {
    const prev = i - chains;
    out.push({ id: `s${i}`, input: prev >= 0 ? `data/s${prev}.txt` : `seed/c${i % chains}.txt`, output: `data/s${i}.txt` });
  }
  return out;
}

function writeSeeds(dir: string): void {
  mkdirSync(join(dir, 'seed'), { recursive: true });
  mkdirSync(join(dir, 'data'), { recursive: true });
  for (let c = 0; c < chains; c++) writeFileSync(join(dir, 'seed', `c${c}.txt`), `chain ${c}\n`);
}

function sonicProject(dir: string): string[] {
  const lines = ['version: 1', 'name: engine-bench', 'stages:'];
  for (const s of shape()) {
    const prev = Number(s.id.slice(1)) - chains;
    const input = prev >= 0 ? `\${{ stages.s${prev}.outputs.o }}` : s.input;
    lines.push(`  ${s.id}:`, `    run: [cp, "\${{ inputs.src }}", "\${{ outputs.o }}"]`, `    inputs: {src: "${input}"}`, `    outputs: {o: o.txt}`);
  }
  writeFileSync(join(dir, 'pipeline.yaml'), lines.join('\n') + '\n');
  return [process.execPath, sonicBin, 'run', 'pipeline.yaml', '--jobs', '2', '--no-progress'];
}

function dvcProject(dir: string): string[] {
  execFileSync('git', ['init', '-q'], { cwd: dir });
  execFileSync(join(venv, 'bin/dvc'), ['init', '-q'], { cwd: dir });
  const lines = ['stages:'];
  for (const s of shape()) lines.push(`  ${s.id}:`, `    cmd: cp ${s.input} ${s.output}`, `    deps: [${s.input}]`, `    outs: [${s.output}]`);
  writeFileSync(join(dir, 'dvc.yaml'), lines.join('\n') + '\n');
  return [join(venv, 'bin/dvc'), 'repro', '-q'];
}

function snakemakeProject(dir: string): string[] {
  const rules = ['rule all:', `    input: [${shape().slice(-chains).map((s) => `"${s.output}"`).join(', ')}]`, ''];
  for (const s of shape()) rules.push(`rule ${s.id}:`, `    input: "${s.input}"`, `    output: "${s.output}"`, '    shell: "cp {input} {output}"', '');
  writeFileSync(join(dir, 'Snakefile'), rules.join('\n'));
  return [join(venv, 'bin/snakemake'), '--cores', '2', '--quiet', 'all'];
}

function time(cmd: string[], cwd: string): number {
  const t0 = process.hrtime.bigint();
  execFileSync(cmd[0]!, cmd.slice(1), { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DVC_NO_ANALYTICS: '1' } });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const systems: [string, (dir: string) => string[]][] = [
  ['sonic', sonicProject],
  ['dvc', dvcProject],
  ['snakemake', snakemakeProject],
];
interface Result {
  cold: number;
  cached: number;
  colds: number[];
  cacheds: number[];
  load: number[]; // 1-minute load average before and after
  at: string;
}
const wanted = new Set(values.systems!.split(',').map((x) => x.trim()));
const results: Record<string, Result> = values.save && existsSync(values.save) ? (JSON.parse(readFileSync(values.save, 'utf8')) as Record<string, Result>) : {};
for (const [name, make] of systems) {
  if (!wanted.has(name)) continue;
  const loadBefore = loadavg()[0]!;
  const colds: number[] = [];
  const cacheds: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const dir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
    writeSeeds(dir);
    const cmd = make(dir);
    colds.push(time(cmd, dir));
    cacheds.push(time(cmd, dir));
    rmSync(dir, { recursive: true, force: true });
    console.error(`${name} repeat ${r + 1}/${repeats}: cold ${colds.at(-1)!.toFixed(0)} ms, cached ${cacheds.at(-1)!.toFixed(0)} ms`);
  }
  results[name] = { cold: median(colds), cached: median(cacheds), colds, cacheds, load: [loadBefore, loadavg()[0]!], at: new Date().toISOString() };
  console.error(`${name}: cold ${results[name]!.cold.toFixed(0)} ms (${colds.map((x) => x.toFixed(0)).join(', ')}), cached ${results[name]!.cached.toFixed(0)} ms (${cacheds.map((x) => x.toFixed(0)).join(', ')})`);
  if (values.save) {
    mkdirSync(dirname(values.save), { recursive: true });
    writeFileSync(values.save, JSON.stringify(results, null, 2));
  }
}

const s = results.sonic;
console.log(`\n${stages} no-op command stages (${chains} chains), medians, 2 jobs where supported; ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}\n`);
console.log('| system | runs | cold run | fully cached rerun | cold: system / sonic | cached: system / sonic | load avg (1 min) |');
console.log('|---|---|---|---|---|---|---|');
for (const [name] of systems) {
  const r = results[name];
  if (!r) continue;
  const ratio = (x: number, y: number | undefined) => (y === undefined ? '–' : `${(x / y).toFixed(1)}×`);
  console.log(`| ${name} | ${r.colds.length} | ${(r.cold / 1000).toFixed(2)} s | ${(r.cached / 1000).toFixed(3)} s | ${ratio(r.cold, s?.cold)} | ${ratio(r.cached, s?.cached)} | ${r.load.map((l) => l.toFixed(1)).join(' → ')} |`);
}
