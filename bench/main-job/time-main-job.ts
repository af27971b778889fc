// Times the main job, `sonic run pipelines/sonictoy.yaml` (the README's quick start), end to end from an empty
// workspace: a fresh temporary directory with copies of pipelines/, experiments/ and the paper's reported
// numbers, so neither the user's .sonic nor results/ is touched. Measures wall and CPU time (user + sys of
// the whole process tree, GNU time -v), the largest process's peak RSS and the tree's summed RSS (sampled
// from /proc each second), the load average at start and end, and the slowest stages (from the run store,
// read back with `sonic query`). Prints a table, then one JSON line.
//   node dist/bench/main-job/time-main-job.js [--keep] [--save FILE] [--slowest N] [sonic run args…]
//   e.g. … --set profile=quick   (any argument the bench does not know goes to `sonic run`)
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatReport, jsonLine, parseTimeVerbose, type MainJobResult, type StageDuration } from './main-job-report.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');
const TIME = '/usr/bin/time';
const PIPELINE = 'pipelines/sonictoy.yaml';

interface Options {
  keep: boolean;
  save: string | null;
  slowest: number;
  runArgs: string[];
}

function usage(message: string): never {
  console.error(`${message}\nusage: node dist/bench/main-job/time-main-job.js [--keep] [--save FILE] [--slowest N] [sonic run args…, e.g. --set profile=quick]`);
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const o: Options = { keep: false, save: null, slowest: 10, runArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--keep') o.keep = true;
    else if (a === '--save') o.save = argv[++i] ?? usage('--save needs a file');
    else if (a === '--slowest') {
      o.slowest = Number(argv[++i]);
      if (!Number.isInteger(o.slowest) || o.slowest < 1) usage('--slowest needs a whole number ≥ 1');
    } else o.runArgs.push(a);
  }
  return o;
}

const load3 = (): [number, number, number] => loadavg().map((x) => Number(x.toFixed(2))) as [number, number, number];

/** Summed VmRSS (KiB) of `root` and all its descendants; null when /proc cannot be read. */
function treeRssKiB(root: number): number | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return null;
  }
  const parent = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const name of entries) {
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const ppid = /^PPid:\s+(\d+)/m.exec(status);
      const vm = /^VmRSS:\s+(\d+) kB/m.exec(status);
      if (ppid) parent.set(Number(name), Number(ppid[1]));
      rss.set(Number(name), vm ? Number(vm[1]) : 0);
    } catch {
      // the process exited between listing and reading
    }
  }
  let sum = 0;
  for (const pid of rss.keys()) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p)) {
      if (p === root) {
        sum += rss.get(pid)!;
        break;
      }
    }
  }
  return sum;
}

/** An empty workspace with what the pipeline reads from the repository. */
function freshWorkspace(): string {
  const ws = mkdtempSync(join(tmpdir(), 'sonic-main-job-'));
  cpSync(join(REPO, 'pipelines'), join(ws, 'pipelines'), { recursive: true });
  cpSync(join(REPO, 'experiments'), join(ws, 'experiments'), { recursive: true });
  mkdirSync(join(ws, 'results'));
  cpSync(join(REPO, 'results', 'paper-reported.json'), join(ws, 'results', 'paper-reported.json'));
  writeFileSync(join(ws, 'package.json'), '{}\n'); // the workspace root: results publish inside it
  mkdirSync(join(ws, '.sonic'));
  return ws;
}

/** The stage runs of the workspace's run (none when `sonic run` left no run store, e.g. with --dry-run). */
function stageDurations(ws: string): StageDuration[] {
  if (!existsSync(join(ws, '.sonic', 'sonic.db'))) return [];
  const sql = 'SELECT stage_id, base_id, status, coalesce(duration_ms, 0) AS duration_ms FROM stage_runs WHERE run_id = (SELECT max(id) FROM runs) ORDER BY id';
  const q = spawnSync(process.execPath, [CLI, 'query', sql, '--format', 'json', '--workspace', join(ws, '.sonic')], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (q.status !== 0) throw new Error(`sonic query failed (exit ${q.status}): ${q.stderr}`);
  return (JSON.parse(q.stdout) as Array<{ stage_id: string; base_id: string; status: string; duration_ms: number }>).map((r) => ({ stageId: r.stage_id, baseId: r.base_id, status: r.status, durationMs: r.duration_ms }));
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (!existsSync(CLI)) usage(`${CLI} is missing: build first (npx tsc -p .)`);
  if (spawnSync(TIME, ['-v', 'true'], { encoding: 'utf8' }).status !== 0) usage(`${TIME} -v does not work: the bench needs GNU time (Debian: apt-get install -y time)`);
  const ws = freshWorkspace();
  const timeFile = join(ws, 'time-v.txt');
  const command = ['sonic', 'run', PIPELINE, ...o.runArgs].join(' ');
  console.error(`main-job bench: ${command} in the empty workspace ${ws}`);
  const loadBefore = load3();
  const child = spawn(TIME, ['-v', '-o', timeFile, process.execPath, CLI, 'run', PIPELINE, '--no-progress', ...o.runArgs], {
    cwd: ws,
    env: { ...process.env, SONIC_WORKSPACE: join(ws, '.sonic') },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let peak: number | null = 0;
  const sample = setInterval(() => {
    const rss = child.pid === undefined ? null : treeRssKiB(child.pid);
    peak = rss === null || peak === null ? null : Math.max(peak, rss);
  }, 1000);
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  clearInterval(sample);
  const loadAfter = load3();
  try {
    report(o, ws, command, { loadBefore, loadAfter, peak, timeFile });
  } finally {
    if (o.keep) console.error(`workspace kept: ${ws}`);
    else rmSync(ws, { recursive: true, force: true });
  }
  process.exitCode = code;
}

function report(o: Options, ws: string, command: string, m: { loadBefore: [number, number, number]; loadAfter: [number, number, number]; peak: number | null; timeFile: string }): void {
  const { loadBefore, loadAfter, peak, timeFile } = m;
  const stages = stageDurations(ws);
  const count = (status: string) => stages.filter((s) => s.status === status).length;
  const result: MainJobResult = {
    command,
    ran: count('succeeded') + count('failed'),
    cached: count('cached'),
    failed: count('failed'),
    time: parseTimeVerbose(readFileSync(timeFile, 'utf8')),
    peakTreeRssKiB: peak,
    loadBefore,
    loadAfter,
    cores: availableParallelism(),
    stages,
  };
  console.log(formatReport(result, o.slowest));
  const line = jsonLine(result, o.slowest);
  console.log(line);
  if (o.save) {
    mkdirSync(dirname(o.save), { recursive: true });
    appendFileSync(o.save, `${line}\n`);
  }
}

try {
  await main();
} catch (e) {
  console.error(`main-job bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
}
