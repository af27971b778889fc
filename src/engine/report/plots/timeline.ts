// A run timeline: one bar per stage run from its start to its end, coloured by state, so the critical path
// and idle slots show. Time is relative to the first start, in seconds, minutes or hours (never a clock
// time: a clock time would depend on the reader's time zone).
import type { VegaLiteSpec } from './render-spec.js';
import { PLOT_CONFIG, VEGA_LITE_SCHEMA } from './plot-style.js';

export interface TimelineBar {
  label: string; // the stage id
  state: string; // succeeded, failed, cached, interrupted, running, skipped
  start: number; // ms since the epoch
  end: number; // ms since the epoch (>= start)
}

export const STATE_COLORS: Record<string, string> = {
  succeeded: '#4c9a5b',
  cached: '#9aa5b1',
  failed: '#d1495b',
  interrupted: '#edae49',
  running: '#3d7ea6',
  skipped: '#d6d6d6',
  pending: '#eeeeee',
};

function unitFor(spanMs: number): { unit: string; ms: number } {
  if (spanMs >= 3 * 3600_000) return { unit: 'hours', ms: 3600_000 };
  if (spanMs >= 3 * 60_000) return { unit: 'minutes', ms: 60_000 };
  return { unit: 'seconds', ms: 1000 };
}

export function timelineSpec(o: { title: string; bars: readonly TimelineBar[]; subtitle?: string; width?: number }): VegaLiteSpec {
  const bars = [...o.bars].sort((a, b) => a.start - b.start || a.label.localeCompare(b.label));
  const t0 = Math.min(...bars.map((b) => b.start));
  const span = Math.max(1, ...bars.map((b) => b.end - t0));
  const { unit, ms } = unitFor(span);
  const states = [...new Set(bars.map((b) => b.state))].sort((a, b) => Object.keys(STATE_COLORS).indexOf(a) - Object.keys(STATE_COLORS).indexOf(b));
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: o.title, subtitle: o.subtitle ?? `${bars.length} stage run${bars.length === 1 ? '' : 's'} over ${(span / ms).toFixed(1)} ${unit}` },
    width: o.width ?? 620,
    height: { step: 16 },
    data: {
      values: bars.map((b) => ({ stage: b.label, state: b.state, from: round((b.start - t0) / ms), to: round((Math.max(b.end, b.start) - t0) / ms) })),
    },
    mark: { type: 'bar', cornerRadius: 2 },
    encoding: {
      y: { field: 'stage', type: 'nominal', title: null, sort: bars.map((b) => b.label), axis: { labelLimit: 1000 } },
      x: { field: 'from', type: 'quantitative', title: `${unit} since the first stage started` },
      x2: { field: 'to' },
      color: {
        field: 'state',
        type: 'nominal',
        title: 'state',
        scale: { domain: states, range: states.map((s) => STATE_COLORS[s] ?? '#777') },
      },
    },
    config: PLOT_CONFIG,
  } as VegaLiteSpec;
}

/** Bars from stage runs as the store or a run record holds them; runs without both times are left out. */
export function timelineBars(
  stageRuns: ReadonlyArray<{ stageId: string; status: string; startedAt: string | null; finishedAt: string | null }>,
): TimelineBar[] {
  return stageRuns.flatMap((s) => {
    if (s.startedAt === null || s.finishedAt === null) return [];
    return [{ label: s.stageId, state: s.status, start: Date.parse(s.startedAt), end: Date.parse(s.finishedAt) }];
  });
}
