// Shared helpers for store tests: temp workspaces and compact stage-run records.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunStore, StageRunRecord } from '../../../src/engine/store/store-api.js';

export function tempDir(prefix = 'sonic-store-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function newRun(store: RunStore, name = 'toy') {
  return store.beginRun({
    pipelineName: name,
    pipelineFile: '/p/pipeline.yaml',
    argv: ['run'],
    targets: [],
    host: 'testhost',
    pid: 4242,
  });
}

export function stageRunFields(
  runId: number,
  stageId: string,
  patch: Partial<Omit<StageRunRecord, 'id'>> = {},
): Omit<StageRunRecord, 'id'> {
  return {
    runId,
    stageId,
    baseId: stageId.replace(/\[.*$/, ''),
    kind: 'uses',
    uses: 'evaluate',
    fingerprint: `fp-${stageId}`,
    fingerprintJson: '{}',
    status: 'running',
    reason: 'new',
    reusedFrom: null,
    attempt: 1,
    executor: 'local',
    jobId: null,
    stageRunDir: null,
    logPath: null,
    exitCode: null,
    error: null,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    durationMs: null,
    ...patch,
  };
}

export const HASH_A = 'a'.repeat(64);
export const HASH_B = 'b'.repeat(64);
