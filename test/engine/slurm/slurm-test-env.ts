// Shared helpers for the Slurm integration tests: detect a usable cluster, lay out stage run directories.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { tempDir } from '../../helpers/temp-dir.js';
import type { JobSpec } from '../../../src/engine/exec/executor.js';
import type { JobFile } from '../../../src/engine/exec/job-protocol.js';

/**
 * A fresh directory the compute nodes can see: under $SONIC_SLURM_TEST_DIR (a shared filesystem, for
 * multi-node clusters), else the local temp dir (enough for a one-node cluster). Removed after the test file ends.
 */
export function sharedTempDir(prefix: string): string {
  const base = process.env.SONIC_SLURM_TEST_DIR ?? tmpdir();
  mkdirSync(base, { recursive: true });
  return tempDir(prefix, base);
}

/**
 * Why Slurm cannot run jobs here, or undefined when a node is up: idle, mixed, or busy with another test
 * file's job (allocated/completing; the job then queues, which the tests wait for).
 */
export function slurmMissing(): string | undefined {
  const r = spawnSync('sinfo', ['-h', '-o', '%T'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error !== undefined) return `sinfo cannot run (${r.error.message}); start one with scripts/slurm/start-one-node-cluster.sh`;
  if (r.status !== 0) return `sinfo failed: ${r.stderr.trim()}`;
  const states = r.stdout.split('\n').map((s) => s.trim()).filter((s) => s !== '');
  if (!states.some((s) => ['idle', 'mixed', 'allocated', 'completing'].includes(s))) return `no node up (sinfo states: ${states.join(', ') || 'none'})`;
  return undefined;
}

/** Skips the test when Slurm is missing, or fails it when CI requires Slurm (CI=true, SONIC_REQUIRE_SLURM=1). */
export function requireSlurm(t: TestContext): boolean {
  const missing = slurmMissing();
  if (missing === undefined) return true;
  if (process.env.CI === 'true' && process.env.SONIC_REQUIRE_SLURM === '1') {
    throw new Error(`Slurm is required here (CI=true, SONIC_REQUIRE_SLURM=1) but not running: ${missing}`);
  }
  t.skip(`Slurm not running: ${missing}`);
  return false;
}

/** A fresh stage run directory with job.json for a `run` job, and the JobSpec to submit it. */
export function runJob(root: string, stageId: string, argv: string[], extra: Partial<JobSpec> = {}): JobSpec {
  const stageRunDir = mkdtempSync(join(root, 'stage-'));
  mkdirSync(join(stageRunDir, 'out'));
  mkdirSync(join(stageRunDir, 'work'));
  const env = { SONIC_EVENTS: join(stageRunDir, 'events.jsonl'), SONIC_STAGE_RUN_DIR: stageRunDir };
  const job: JobFile = {
    protocol: 1,
    stageId,
    kind: 'run',
    stageModules: [],
    argv,
    params: {},
    inputs: {},
    outputs: {},
    workDir: join(stageRunDir, 'work'),
    gpus: [],
    env,
    tags: {},
  };
  writeFileSync(join(stageRunDir, 'job.json'), JSON.stringify(job, null, 2));
  return {
    stageId,
    stageRunDir,
    kind: 'run',
    argv,
    env,
    resources: { cpu: 1, memoryMB: 100, gpu: 0 },
    gpus: [],
    logPath: join(stageRunDir, 'log.txt'),
    ...extra,
  };
}
