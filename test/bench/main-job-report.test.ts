// The main-job bench's parsing and reporting (bench/main-job/main-job-report.ts); no timing is asserted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byBaseStage, formatReport, formatSeconds, jsonLine, parseElapsed, parseTimeVerbose, slowestStages, type MainJobResult } from '../../bench/main-job/main-job-report.js';

// GNU time 1.9's -v output, abridged.
const TIME_V = `\tCommand being timed: "node /repo/dist/src/cli/main.js run pipelines/sonictoy.yaml --no-progress --set profile=quick"
\tUser time (seconds): 301.42
\tSystem time (seconds): 12.07
\tPercent of CPU this job got: 162%
\tElapsed (wall clock) time (h:mm:ss or m:ss): 3:12.86
\tMaximum resident set size (kbytes): 1843200
\tPage size (bytes): 4096
\tExit status: 0
`;

test('GNU time -v: wall clock in both forms, CPU, peak RSS and exit status', () => {
  assert.deepEqual(parseTimeVerbose(TIME_V), { wallSeconds: 192.86, userSeconds: 301.42, systemSeconds: 12.07, maxRssKiB: 1843200, exitStatus: 0 });
  assert.equal(parseElapsed('1:02:03'), 3723);
  assert.equal(parseElapsed('0:00.02'), 0.02);
  assert.throws(() => parseElapsed('12'), /unreadable elapsed time "12"/);
  assert.throws(() => parseTimeVerbose(TIME_V.replace(/\tUser time.*\n/, '')), /no "User time \(seconds\)" line/);
  assert.throws(() => parseTimeVerbose(TIME_V.replace('12.07', 'n/a')), /"System time \(seconds\)" is not a number: "n\/a"/);
});

const stages = [
  { stageId: 'dataset', baseId: 'dataset', status: 'succeeded', durationMs: 4_000 },
  { stageId: 'toy_sd', baseId: 'toy_sd', status: 'succeeded', durationMs: 90_000 },
  { stageId: 'train_adapter[data=hits,ablation=full,seed=0]', baseId: 'train_adapter', status: 'succeeded', durationMs: 60_000 },
  { stageId: 'train_adapter[data=landscape,ablation=full,seed=0]', baseId: 'train_adapter', status: 'succeeded', durationMs: 50_000 },
  { stageId: 'tables', baseId: 'tables', status: 'cached', durationMs: 0 },
  { stageId: 'report', baseId: 'report', status: 'failed', durationMs: 1_500 },
];

test('slowest stages count only stages that ran; per-stage totals sum matrix instances', () => {
  assert.deepEqual(slowestStages(stages, 3).map((s) => s.stageId), ['toy_sd', 'train_adapter[data=hits,ablation=full,seed=0]', 'train_adapter[data=landscape,ablation=full,seed=0]']);
  assert.deepEqual(slowestStages(stages, 99).map((s) => s.stageId).at(-1), 'report');
  assert.deepEqual(byBaseStage(stages), [
    { baseId: 'train_adapter', count: 2, totalMs: 110_000, maxMs: 60_000 },
    { baseId: 'toy_sd', count: 1, totalMs: 90_000, maxMs: 90_000 },
    { baseId: 'dataset', count: 1, totalMs: 4_000, maxMs: 4_000 },
    { baseId: 'report', count: 1, totalMs: 1_500, maxMs: 1_500 },
  ]);
  assert.equal(formatSeconds(12.34), '12.3s');
  assert.equal(formatSeconds(1234.5), '20m34.5s');
  assert.equal(formatSeconds(61), '1m01.0s');
});

test('the report table and the JSON line carry the same numbers', () => {
  const r: MainJobResult = {
    command: 'sonic run pipelines/sonictoy.yaml --set profile=quick',
    ran: 5,
    cached: 1,
    failed: 1,
    time: parseTimeVerbose(TIME_V),
    peakTreeRssKiB: 3_145_728,
    loadBefore: [1.5, 1.2, 1],
    loadAfter: [2.25, 1.8, 1.1],
    cores: 2,
    stages,
  };
  const text = formatReport(r, 2);
  assert.match(text, /^`sonic run pipelines\/sonictoy.yaml --set profile=quick`: 5 ran, 1 cached, 1 failed \(exit 0\)/);
  assert.match(text, /\| 3m12\.9s +\| 5m13\.5s \(5m01\.4s \+ 12\.1s\) \| 1\.63 +\| 1800 MiB +\| 3072 MiB +\| 1\.50 \/ 1\.20 \/ 1\.00 → 2\.25 \/ 1\.80 \/ 1\.10 \| 2 +\|/);
  assert.match(text, /\| toy_sd +\| 1m30\.0s +\| 47 % +\|/);
  assert.ok(!text.includes('train_adapter[data=landscape'), 'only the 2 slowest are listed');
  assert.match(text, /\| train_adapter \| 2 +\| 1m50\.0s \| 1m00\.0s \|/);
  const json = JSON.parse(jsonLine(r, 2));
  assert.equal(jsonLine(r, 2).includes('\n'), false);
  assert.deepEqual(
    { wall: json.wallSeconds, cpu: json.cpuSeconds, rss: json.maxRssKiB, tree: json.peakTreeRssKiB, before: json.loadBefore, after: json.loadAfter, failed: json.failed },
    { wall: 192.86, cpu: 313.49, rss: 1843200, tree: 3145728, before: [1.5, 1.2, 1], after: [2.25, 1.8, 1.1], failed: 1 },
  );
  assert.deepEqual(json.slowest, [{ stage: 'toy_sd', seconds: 90 }, { stage: 'train_adapter[data=hits,ablation=full,seed=0]', seconds: 60 }]);
  assert.deepEqual(json.byStage[0], { stage: 'train_adapter', instances: 2, seconds: 110, longestSeconds: 60 });
});
