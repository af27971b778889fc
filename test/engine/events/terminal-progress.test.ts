import { test } from 'node:test';
import assert from 'node:assert/strict';
import { terminalProgress } from '../../../src/engine/events/terminal-progress.js';
import type { RunEvent } from '../../../src/engine/events/run-events.js';

const counts = { succeeded: 1, failed: 1, cached: 0, skipped: 0, interrupted: 0 };
const events: RunEvent[] = [
  { type: 'run-started', t: 0, runId: 1, pipeline: 'p', workspace: '/w', stageCount: 2, dryRun: false },
  { type: 'stage-started', t: 1, stageId: 'train', stageRunId: 1, attempt: 1, logPath: '/w/l1', gpus: [1] },
  { type: 'stage-progress', t: 2, stageId: 'train', done: 5, total: 10, label: 'steps' },
  { type: 'stage-started', t: 3, stageId: 'eval', stageRunId: 2, attempt: 1, logPath: '/w/l2', gpus: [] },
  { type: 'stage-finished', t: 4, stageId: 'eval', stageRunId: 2, status: 'failed', reason: 'never ran', durationMs: 1500, logPath: '/w/l2', error: 'boom' },
  { type: 'stage-finished', t: 5, stageId: 'train', stageRunId: 1, status: 'succeeded', reason: 'never ran', durationMs: 65_000, logPath: '/w/l1' },
  { type: 'run-finished', t: 6, runId: 1, status: 'failed', durationMs: 6, counts },
];

const T0 = Date.parse('2026-03-04T05:06:07.890Z');
const at = (e: RunEvent): RunEvent => ({ ...e, t: T0 + e.t * 1000 });

test('plain progress: one timestamped line per start and finish, failures name their log', () => {
  let text = '';
  const p = terminalProgress('plain', { write: (s: string) => (text += s) }, { now: () => T0 });
  for (const e of events) p.listener(at(e));
  assert.equal(
    text,
    [
      '2026-03-04T05:06:08Z > train started [gpus 1]',
      '2026-03-04T05:06:10Z > eval started',
      '2026-03-04T05:06:11Z ✗ eval failed 1.5s: boom',
      '2026-03-04T05:06:11Z     log: /w/l2',
      '2026-03-04T05:06:12Z ✓ train succeeded 1m05s',
      '',
    ].join('\n'),
  );
  p.stop();
});

test('plain progress: a running stage gets a heartbeat line with its progress within every period', async () => {
  let text = '';
  let clock = T0;
  const p = terminalProgress('plain', { write: (s: string) => (text += s) }, { now: () => clock, heartbeatMs: 60 });
  p.listener({ type: 'stage-started', t: T0, stageId: 'train', stageRunId: 1, attempt: 1, logPath: '/w/l1', gpus: [] });
  p.listener({ type: 'stage-progress', t: T0, stageId: 'train', done: 3, total: 12, label: 'steps' });
  p.listener({ type: 'stage-started', t: T0, stageId: 'quiet', stageRunId: 2, attempt: 1, logPath: '/w/l2', gpus: [] });
  p.listener({ type: 'stage-log', t: T0, stageId: 'quiet', message: 'loading\n  weights' });
  clock = T0 + 150_000; // the clock the lines show: 2.5 minutes in
  await new Promise((r) => setTimeout(r, 150));
  p.listener({ type: 'stage-finished', t: clock, stageId: 'train', stageRunId: 1, status: 'succeeded', reason: 'never ran', durationMs: 150_000, logPath: '/w/l1' });
  const beats = text.split('\n').filter((l) => l.includes(' running '));
  assert.ok(beats.length >= 2, `two heartbeats, got:\n${text}`);
  assert.ok(beats.includes('2026-03-04T05:08:37Z … train running 2m30s [#####...............] 25% steps'), text);
  assert.ok(beats.includes('2026-03-04T05:08:37Z … quiet running 2m30s: loading weights'), text);
  // after a stage finishes it gets no more heartbeats
  const before = text.length;
  clock += 1000;
  await new Promise((r) => setTimeout(r, 100));
  assert.doesNotMatch(text.slice(before), /train running/);
  p.stop();
  const stopped = text.length;
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(text.length, stopped, 'no lines after stop');
});

test('tty progress: a live block with progress bars redrawn in place', () => {
  let text = '';
  const p = terminalProgress('tty', { write: (s: string) => (text += s) });
  for (const e of events.slice(0, 4)) p.listener(e);
  assert.match(text, /⠿ train \[##########\.{10}\] 50% steps/);
  assert.match(text, /0\/2 stages done, 2 running/);
  for (const e of events.slice(4)) p.listener(e);
  assert.match(text, /\x1b\[\d+A\x1b\[0J✗ eval failed/);
  assert.match(text, /1\/2 stages done, 1 running/);
  p.stop();
});

test('cache hits are folded into one line', () => {
  let text = '';
  const p = terminalProgress('plain', { write: (s: string) => (text += s) }, { now: () => T0 });
  for (let i = 0; i < 7; i++) {
    p.listener({ type: 'stage-finished', t: i, stageId: `s${i}`, stageRunId: i, status: 'cached', reason: 'cached (stage run 1 of run 1)', durationMs: null, logPath: null });
  }
  p.listener({ type: 'stage-started', t: T0, stageId: 'x', stageRunId: 9, attempt: 1, logPath: '/l', gpus: [] });
  assert.equal(text, '2026-03-04T05:06:07Z = 7 stages cached: s0, s1, s2, s3, s4, … (+2)\n2026-03-04T05:06:07Z > x started\n');
  p.stop();
});
