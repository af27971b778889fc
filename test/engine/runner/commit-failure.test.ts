// Regression: a stage whose commit fails leaves no orphaned object in the store, and the failure is
// recorded (run and stage run not left `running`). Real child processes, a real SQLite store; the full-disk
// case runs on a small tmpfs when this process may mount one (root on Linux), and is skipped otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPipeline, type RunPipelineOptions } from '../../../src/engine/runner/run-pipeline.js';
import { openRunStore } from '../../../src/engine/store/run-store.js';
import { ObjectStore } from '../../../src/engine/store/object-store.js';
import { pipeline, stage } from './fixtures/pipeline-builder.js';

const NODE = process.execPath;
const opts = (ws: string): RunPipelineOptions => ({ workspace: ws, gpus: [], notice: () => {} });

function recorded(ws: string): { runs: unknown[]; stageRuns: unknown[]; artifacts: number } {
  const store = openRunStore(ws, { readonly: true });
  try {
    return {
      runs: store.query('SELECT status FROM runs').map((r) => r.status),
      stageRuns: store.query('SELECT status FROM stage_runs').map((r) => r.status),
      artifacts: Number(store.query('SELECT count(*) AS n FROM artifacts')[0]!.n),
    };
  } finally {
    store.close();
  }
}

test('an output the store refuses fails the commit without leaving the outputs ingested before it as orphans', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sonic-commit-'));
  try {
    const WRITE = 'const fs=require("fs");fs.writeFileSync(process.argv[1],"kept?");fs.symlinkSync("/etc/hostname",process.argv[2])';
    const p = pipeline(dir, [stage({ id: 'two', run: [NODE, '-e', WRITE, '${{ outputs.a }}', '${{ outputs.b }}'], outputs: { a: 'a.txt', b: 'b.txt' } })]);
    const ws = join(dir, '.sonic');
    const summary = await runPipeline(p, opts(ws));
    assert.equal(summary.status, 'failed');
    assert.match(summary.stages[0]!.error ?? '', /could not store the outputs: .*symbolic link/);
    assert.deepEqual(await new ObjectStore(join(ws, 'objects')).list(), [], 'no orphaned object');
    assert.deepEqual(recorded(ws), { runs: ['failed'], stageRuns: ['failed'], artifacts: 0 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function mountTmpfs(dir: string, size: string): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('a full disk at commit time: the failure is recorded, no orphan stays, and the message says what to free', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sonic-enospc-'));
  const disk = join(dir, 'disk');
  mkdirSync(disk);
  if (!mountTmpfs(disk, '4m')) {
    t.skip('needs a tmpfs mount (root on Linux)');
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  try {
    const ws = join(disk, '.sonic');
    // The stage fills the disk with its output, then succeeds: moving the output into the store needs no
    // space, recording it in SQLite does.
    const FILL =
      'const fs=require("fs");const fd=fs.openSync(process.argv[1],"w");const b=Buffer.alloc(16384,1);' +
      'try{for(;;)fs.writeSync(fd,b)}catch(e){if(e.code!=="ENOSPC")throw e}fs.closeSync(fd)';
    const p = pipeline(dir, [stage({ id: 'fill', run: [NODE, '-e', FILL, '${{ outputs.big }}'], outputs: { big: 'big.bin' } })]);
    const summary = await runPipeline(p, opts(ws));
    assert.equal(summary.status, 'failed');
    const error = summary.stages[0]!.error ?? '';
    assert.match(error, /disk full while storing the outputs \([\d.]+ MB\) in .*\.sonic/);
    assert.match(error, /free at least [\d.]+ MB on the filesystem holding .*`sonic gc`/);
    assert.deepEqual(await new ObjectStore(join(ws, 'objects')).list(), [], 'no orphaned object');
    assert.deepEqual(recorded(ws), { runs: ['failed'], stageRuns: ['failed'], artifacts: 0 });
  } finally {
    execFileSync('umount', [disk]);
    rmSync(dir, { recursive: true, force: true });
  }
});
