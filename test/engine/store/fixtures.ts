// Shared helpers for store tests: temp workspaces and compact stage-run records.
import { removeTempDir, tempDir as testTempDir } from '../../helpers/temp-dir.js';
import type { RunStore, StageRunRecord } from '../../../src/engine/store/store-api.js';

/** A temp workspace; `cleanup` removes it early, and it is removed after the test file ends in any case. */
export function tempDir(prefix = 'sonic-store-'): { dir: string; cleanup: () => void } {
  const dir = testTempDir(prefix);
  return { dir, cleanup: () => removeTempDir(dir) };
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
