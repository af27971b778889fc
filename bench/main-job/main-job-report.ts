// The main-job bench's numbers and report: GNU time's `-v` output (wall, user and system CPU of the whole
// process tree, the largest process's peak RSS), the load average before and after, and per-stage durations
// from the run store; printed as a table and one JSON line.

export interface TimeVerbose {
  wallSeconds: number;
  userSeconds: number;
  systemSeconds: number;
  /** "Maximum resident set size": the largest single process of the tree (GNU time reports the max, not a sum). */
  maxRssKiB: number;
  exitStatus: number;
}

/** `h:mm:ss` or `m:ss.ss` (GNU time's "Elapsed (wall clock) time") in seconds. */
export function parseElapsed(text: string): number {
  const parts = text.trim().split(':');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '' || !Number.isFinite(Number(p)))) throw new Error(`unreadable elapsed time "${text}" (expected h:mm:ss or m:ss.ss)`);
  return parts.reduce((s, p) => s * 60 + Number(p), 0);
}

/** Reads the fields the bench needs from `/usr/bin/time -v` output; a missing one is an error naming it. */
export function parseTimeVerbose(text: string): TimeVerbose {
  const field = (label: string): string => {
    const line = text.split('\n').find((l) => l.trim().startsWith(`${label}:`));
    if (line === undefined) throw new Error(`GNU time output has no "${label}" line`);
    return line.slice(line.indexOf(label) + label.length + 1).trim();
  };
  const number = (label: string): number => {
    const v = Number(field(label));
    if (!Number.isFinite(v)) throw new Error(`GNU time "${label}" is not a number: "${field(label)}"`);
    return v;
  };
  return {
    wallSeconds: parseElapsed(field('Elapsed (wall clock) time (h:mm:ss or m:ss)')),
    userSeconds: number('User time (seconds)'),
    systemSeconds: number('System time (seconds)'),
    maxRssKiB: number('Maximum resident set size (kbytes)'),
    exitStatus: number('Exit status'),
  };
}

export interface StageDuration {
  stageId: string;
  baseId: string;
  status: string;
  durationMs: number;
}

export interface MainJobResult {
  command: string;
  /** What the run did, from the run store: stages that ran and stages taken from the cache. */
  ran: number;
  cached: number;
  failed: number;
  time: TimeVerbose;
  /** Peak of the process tree's summed RSS, sampled from /proc (null when /proc could not be read). */
  peakTreeRssKiB: number | null;
  loadBefore: [number, number, number];
  loadAfter: [number, number, number];
  cores: number;
  stages: StageDuration[];
}

/** The n stages that took longest (ran, not cached), slowest first. */
export function slowestStages(stages: readonly StageDuration[], n: number): StageDuration[] {
  return stages.filter((s) => s.status === 'succeeded' || s.status === 'failed').sort((a, b) => b.durationMs - a.durationMs || a.stageId.localeCompare(b.stageId)).slice(0, n);
}

export interface StageGroup {
  baseId: string;
  count: number;
  totalMs: number;
  maxMs: number;
}

/** Ran stages summed per stage as written in the pipeline (all matrix instances together), largest total first. */
export function byBaseStage(stages: readonly StageDuration[]): StageGroup[] {
  const groups = new Map<string, StageGroup>();
  for (const s of stages.filter((x) => x.status === 'succeeded' || x.status === 'failed')) {
    const g = groups.get(s.baseId) ?? { baseId: s.baseId, count: 0, totalMs: 0, maxMs: 0 };
    g.count += 1;
    g.totalMs += s.durationMs;
    g.maxMs = Math.max(g.maxMs, s.durationMs);
    groups.set(s.baseId, g);
  }
  return [...groups.values()].sort((a, b) => b.totalMs - a.totalMs || a.baseId.localeCompare(b.baseId));
}

/** 1234.5 s → `20m34.5s`; under a minute `12.3s`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const m = Math.floor(seconds / 60);
  return `${m}m${(seconds - m * 60).toFixed(1).padStart(4, '0')}s`;
}

const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
}

/** The report: a summary table, the slowest stages and the per-stage totals, in markdown. */
export function formatReport(r: MainJobResult, slowest = 10): string {
  const cpu = r.time.userSeconds + r.time.systemSeconds;
  const load = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  const out = [
    `\`${r.command}\`: ${r.ran} ran, ${r.cached} cached${r.failed > 0 ? `, ${r.failed} failed` : ''} (exit ${r.time.exitStatus})`,
    '',
    ...table(
      ['wall', 'CPU (user + sys)', 'CPU / wall', 'peak RSS (largest process)', 'peak RSS (process tree, sampled)', 'load avg 1/5/15 min: start → end', 'cores'],
      [[formatSeconds(r.time.wallSeconds), `${formatSeconds(cpu)} (${formatSeconds(r.time.userSeconds)} + ${formatSeconds(r.time.systemSeconds)})`, (cpu / Math.max(r.time.wallSeconds, 1e-9)).toFixed(2), mib(r.time.maxRssKiB), r.peakTreeRssKiB === null ? 'n/a' : mib(r.peakTreeRssKiB), `${load(r.loadBefore)} → ${load(r.loadAfter)}`, String(r.cores)]],
    ),
    '',
    `Slowest stages (of ${r.ran} that ran):`,
    '',
    ...table(['stage', 'duration', 'share of wall'], slowestStages(r.stages, slowest).map((s) => [s.stageId, formatSeconds(s.durationMs / 1000), `${((100 * s.durationMs) / 1000 / Math.max(r.time.wallSeconds, 1e-9)).toFixed(0)} %`])),
    '',
    'Per stage as written (matrix instances summed; they may run side by side, so totals can exceed the wall time):',
    '',
    ...table(['stage', 'instances', 'total', 'longest'], byBaseStage(r.stages).map((g) => [g.baseId, String(g.count), formatSeconds(g.totalMs / 1000), formatSeconds(g.maxMs / 1000)])),
  ];
  return out.join('\n');
}

/** One JSON line with every number of the report (durations in seconds). */
export function jsonLine(r: MainJobResult, slowest = 10): string {
  return JSON.stringify({
    bench: 'main-job',
    command: r.command,
    ran: r.ran,
    cached: r.cached,
    failed: r.failed,
    exitStatus: r.time.exitStatus,
    wallSeconds: r.time.wallSeconds,
    userSeconds: r.time.userSeconds,
    systemSeconds: r.time.systemSeconds,
    cpuSeconds: Number((r.time.userSeconds + r.time.systemSeconds).toFixed(2)),
    maxRssKiB: r.time.maxRssKiB,
    peakTreeRssKiB: r.peakTreeRssKiB,
    loadBefore: r.loadBefore,
    loadAfter: r.loadAfter,
    cores: r.cores,
    slowest: slowestStages(r.stages, slowest).map((s) => ({ stage: s.stageId, seconds: s.durationMs / 1000 })),
    byStage: byBaseStage(r.stages).map((g) => ({ stage: g.baseId, instances: g.count, seconds: g.totalMs / 1000, longestSeconds: g.maxMs / 1000 })),
  });
}
