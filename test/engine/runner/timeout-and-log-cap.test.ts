// Per-stage `timeout:` stops a hung stage and fails it; a stage's log stops growing at its size cap.
// Real child processes, a real SQLite store, pipelines loaded from YAML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDiagnostics, loadPipeline, PipelineConfigError } from '../../../src/engine/config/load-pipeline.js';
import { runPipeline } from '../../../src/engine/runner/run-pipeline.js';
import { openRunStore } from '../../../src/engine/store/run-store.js';

const NODE = JSON.stringify(process.execPath);

function project(stages: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sonic-limits-'));
  writeFileSync(join(dir, 'package.json'), '{}');
  writeFileSync(join(dir, 'pipeline.yaml'), `version: 1\nstages:\n${stages}`);
  return dir;
}

test('a stage past its timeout is stopped and fails, saying so; the run records it failed', async () => {
  const dir = project(`  hang:
    run: [${NODE}, "-e", "setTimeout(() => {}, 600000)", "\${{ outputs.o }}"]
    outputs: {o: o.txt}
    timeout: 1s
`);
  try {
    const p = loadPipeline(join(dir, 'pipeline.yaml'));
    assert.equal(p.stages[0]!.timeoutMs, 1000);
    const summary = await runPipeline(p, { workspace: join(dir, '.sonic'), gpus: [], killGraceMs: 2000 });
    assert.equal(summary.status, 'failed');
    assert.equal(summary.stages[0]!.status, 'failed');
    assert.match(summary.stages[0]!.error ?? '', /^timed out after 1s \(timeout: 1s\); stopped$/);
    const store = openRunStore(join(dir, '.sonic'), { readonly: true });
    try {
      assert.deepEqual(store.query('SELECT status FROM stage_runs').map((r) => r.status), ['failed']);
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('timeout: accepts 90s, 1h30m and seconds, and rejects other values with file:line', () => {
  const dir = project(`  a:
    run: [${NODE}, "-e", "0"]
    timeout: 1h30m
  b:
    run: [${NODE}, "-e", "0"]
    timeout: 45
  c:
    run: [${NODE}, "-e", "0"]
    timeout: soon
`);
  try {
    assert.throws(
      () => loadPipeline(join(dir, 'pipeline.yaml')),
      (e: unknown) => e instanceof PipelineConfigError && /pipeline\.yaml:11:\d+: .*expected a duration such as 90s, 30m, 2h or 1h30m/.test(formatDiagnostics(e.diagnostics)),
    );
    writeFileSync(join(dir, 'pipeline.yaml'), readFileSync(join(dir, 'pipeline.yaml'), 'utf8').replace('timeout: soon', 'timeout: 90s'));
    const p = loadPipeline(join(dir, 'pipeline.yaml'));
    assert.deepEqual(p.stages.map((s) => s.timeoutMs), [5_400_000, 45_000, 90_000]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a stage log stops at its cap with a line saying how much was discarded; the stage still succeeds', async () => {
  const dir = project(`  loud:
    run: [${NODE}, "-e", "process.stdout.write('x'.repeat(300000)); process.stderr.write('y'.repeat(300000)); require('fs').writeFileSync(process.argv[1], 'done')", "\${{ outputs.o }}"]
    outputs: {o: o.txt}
`);
  try {
    const summary = await runPipeline(loadPipeline(join(dir, 'pipeline.yaml')), { workspace: join(dir, '.sonic'), gpus: [], logLimitBytes: 10_000 });
    assert.equal(summary.status, 'succeeded');
    const log = summary.stages[0]!.logPath!;
    const text = readFileSync(log, 'utf8');
    assert.ok(statSync(log).size < 10_500, `log is ${statSync(log).size} bytes (10 000 of output plus the runner's own lines)`);
    assert.match(text, /\[sonic: log cut at 10000 bytes; 590000 more bytes of stage output were discarded\]\n/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
