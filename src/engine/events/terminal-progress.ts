// Terminal output of a run. `tty`: finished stages scroll as permanent lines while a live block of the
// running stages (state, progress bar, elapsed time) is redrawn in place. `plain`: one line per event,
// for logs and pipes: each line starts with a UTC timestamp, and every running stage gets a heartbeat line
// (its progress, or its last log message) at least every 30 s, so a long stage in CI or under nohup is
// never silent. `none`: only the final summary, printed by the caller.
import type { RunEvent, RunEventListener } from './run-events.js';

export type ProgressMode = 'tty' | 'plain' | 'none';

interface Active {
  stageId: string;
  startedAt: number;
  done?: number;
  total?: number;
  label?: string;
  lastLog?: string;
}

const SYMBOL: Record<string, string> = { succeeded: '✓', failed: '✗', cached: '=', skipped: '-', interrupted: '!' };

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - m * 60)).padStart(2, '0')}s`;
}

function bar(done: number, total: number, width = 20): string {
  const frac = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const full = Math.round(frac * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${Math.round(frac * 100)}%`;
}

function finishedLine(e: Extract<RunEvent, { type: 'stage-finished' }>): string {
  const sym = SYMBOL[e.status] ?? '?';
  const dur = e.durationMs !== null ? ` ${formatDuration(e.durationMs)}` : '';
  let line = `${sym} ${e.stageId} ${e.status}${dur}`;
  if (e.status === 'skipped') line += ` (${e.reason})`;
  if (e.status === 'failed' || e.status === 'interrupted') {
    if (e.error) line += `: ${e.error}`;
    if (e.willRetry) line += ' (retrying)';
    if (e.logPath) line += `\n    log: ${e.logPath}`;
  }
  return line;
}

export interface ProgressOptions {
  /** Plain mode: the longest a running stage stays silent (default 30 s). */
  heartbeatMs?: number;
  now?: () => number;
}

export const HEARTBEAT_MS = 30_000;

/** `2026-01-02T03:04:05Z`: the timestamp that starts every plain line. */
export function timestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function activeDetail(a: Active): string {
  if (a.total !== undefined) return ` ${bar(a.done ?? 0, a.total)}${a.label ? ` ${a.label}` : ''}`;
  return a.lastLog ? `: ${a.lastLog.replace(/\s+/g, ' ')}` : '';
}

export function terminalProgress(
  mode: ProgressMode,
  out: NodeJS.WriteStream | { write(s: string): unknown } = process.stderr,
  options: ProgressOptions = {},
): {
  listener: RunEventListener;
  stop(): void;
} {
  if (mode === 'none') return { listener: () => {}, stop: () => {} };
  if (mode === 'plain') return plainProgress(out, options);
  const rawWrite = (s: string) => void out.write(s);
  // cache hits arrive in one burst: they are folded into a single line
  const cached: string[] = [];
  const flushCached = (): void => {
    if (cached.length === 0) return;
    const shown = cached.slice(0, 5).join(', ');
    rawWrite(`= ${cached.length} stage${cached.length === 1 ? '' : 's'} cached: ${shown}${cached.length > 5 ? `, … (+${cached.length - 5})` : ''}\n`);
    cached.length = 0;
  };
  const write = (s: string): void => {
    flushCached();
    rawWrite(s);
  };
  const active = new Map<string, Active>();
  let drawnLines = 0;
  let total = 0;
  let finished = 0;
  let runStart = Date.now();
  const clear = (): void => {
    if (drawnLines > 0) rawWrite(`\x1b[${drawnLines}A\x1b[0J`);
    drawnLines = 0;
  };
  const draw = (): void => {
    clear();
    const now = Date.now();
    const cols = Math.max(40, (out as NodeJS.WriteStream).columns || 100);
    const lines = [...active.values()].map((a) => {
      const p =
        a.total !== undefined ? ` ${bar(a.done ?? 0, a.total)}${a.label ? ` ${a.label}` : ''}` : a.lastLog ? `  ${a.lastLog.replace(/\s+/g, ' ')}` : '';
      return `  ⠿ ${a.stageId}${p} ${formatDuration(now - a.startedAt)}`.slice(0, cols - 1);
    });
    lines.push(`  ${finished}/${total} stages done, ${active.size} running, ${formatDuration(now - runStart)}`);
    write(`${lines.join('\n')}\n`);
    drawnLines = lines.length;
  };
  const timer = setInterval(draw, 200);
  timer.unref();
  return {
    listener: (e) => {
      switch (e.type) {
        case 'run-started':
          total = e.stageCount;
          runStart = e.t;
          break;
        case 'stage-started':
          active.set(e.stageId, { stageId: e.stageId, startedAt: e.t });
          break;
        case 'stage-log': {
          const a = active.get(e.stageId);
          if (a) a.lastLog = e.message;
          return;
        }
        case 'stage-progress': {
          const a = active.get(e.stageId);
          if (a) Object.assign(a, { done: e.done, total: e.total, label: e.label });
          return; // redrawn by the timer
        }
        case 'stage-finished':
          clear();
          if (!e.willRetry) {
            active.delete(e.stageId);
            finished += 1;
          }
          if (e.status === 'cached') cached.push(e.stageId);
          else write(`${finishedLine(e)}\n`);
          break;
        case 'run-finished':
          clearInterval(timer);
          clear();
          flushCached();
          return;
        default:
          return;
      }
      draw();
    },
    stop: () => {
      clearInterval(timer);
      clear();
      flushCached();
    },
  };
}

/** One timestamped line per event, cache hits folded, and a heartbeat per running stage. */
function plainProgress(out: { write(s: string): unknown }, options: ProgressOptions): { listener: RunEventListener; stop(): void } {
  const now = options.now ?? Date.now;
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const tickMs = Math.max(1, Math.floor(heartbeatMs / 3));
  const active = new Map<string, Active & { lastLine: number }>();
  const cached: string[] = [];
  // every line carries the timestamp, the second line of a failure (its log path) too
  const emit = (t: number, text: string): void => void out.write(text.split('\n').map((line) => `${timestamp(t)} ${line}\n`).join(''));
  const flushCached = (): void => {
    if (cached.length === 0) return;
    const shown = cached.slice(0, 5).join(', ');
    emit(now(), `= ${cached.length} stage${cached.length === 1 ? '' : 's'} cached: ${shown}${cached.length > 5 ? `, … (+${cached.length - 5})` : ''}`);
    cached.length = 0;
  };
  const write = (t: number, text: string): void => {
    flushCached();
    emit(t, text);
  };
  const heartbeat = (): void => {
    const t = now();
    for (const a of active.values()) {
      if (t - a.lastLine < heartbeatMs - tickMs) continue;
      write(t, `… ${a.stageId} running ${formatDuration(t - a.startedAt)}${activeDetail(a)}`);
      a.lastLine = t;
    }
  };
  // ticks at a third of the period and speaks when the next tick would be too late: a line every 2/3 to 1 period
  const timer = setInterval(heartbeat, tickMs);
  timer.unref();
  const stop = (): void => {
    clearInterval(timer);
    flushCached();
  };
  return {
    listener: (e) => {
      switch (e.type) {
        case 'stage-started':
          active.set(e.stageId, { stageId: e.stageId, startedAt: e.t, lastLine: e.t });
          write(e.t, `> ${e.stageId} started${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}${e.gpus.length ? ` [gpus ${e.gpus.join(',')}]` : ''}`);
          return;
        case 'stage-progress': {
          const a = active.get(e.stageId);
          if (a) Object.assign(a, { done: e.done, total: e.total, label: e.label });
          return;
        }
        case 'stage-log': {
          const a = active.get(e.stageId);
          if (a) a.lastLog = e.message;
          return;
        }
        case 'stage-finished':
          if (!e.willRetry) active.delete(e.stageId);
          if (e.status === 'cached') cached.push(e.stageId);
          else write(e.t, finishedLine(e));
          return;
        case 'run-finished':
          stop();
          return;
        default:
          return;
      }
    },
    stop,
  };
}
