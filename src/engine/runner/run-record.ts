// Writes the run record (see stage/run-record.ts) a stage declaring `readsRunRecord` reads: the run, and the
// stage runs (timing, metrics) of the stage's upstream stages as they stand when the stage starts.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StageSpec } from '../config/pipeline-model.js';
import type { RunRecord, RunRecordStage } from '../stage/run-record.js';
import type { RunStore as Store } from '../store/store-api.js';
import type { StageSummary } from './run-summary.js';

/** The stage ids `stageId` reads from, directly or through other stages, in `order`. */
export function upstreamStageIds(stages: readonly StageSpec[], stageId: string): string[] {
  const byId = new Map(stages.map((s) => [s.id, s]));
  const seen = new Set<string>();
  const visit = (id: string) => {
    for (const binding of Object.values(byId.get(id)?.inputs ?? {})) {
      for (const ref of binding.refs) {
        if (ref.kind !== 'output' || seen.has(ref.stage)) continue;
        seen.add(ref.stage);
        visit(ref.stage);
      }
    }
  };
  visit(stageId);
  return stages.map((s) => s.id).filter((id) => seen.has(id));
}

function git(cwd: string, args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim();
  } catch {
    return null; // not a git work tree, or git is not installed
  }
}

export function sourceRevision(pipelineFile: string): { commit: string | null; dirty: boolean | null } {
  const cwd = dirname(pipelineFile);
  const commit = git(cwd, ['rev-parse', 'HEAD']);
  if (commit === null) return { commit: null, dirty: null };
  const status = git(cwd, ['status', '--porcelain', '--untracked-files=no']);
  return { commit, dirty: status === null ? null : status !== '' };
}

export function buildRunRecord(store: Store, runId: number, upstream: readonly StageSummary[]): RunRecord {
  const run = store.run(runId);
  if (run === undefined) throw new Error(`run record: no run ${runId}`);
  const stages: RunRecordStage[] = [];
  for (const s of upstream) {
    if (s.stageRunId === null || (s.status !== 'succeeded' && s.status !== 'cached')) continue;
    const sourceId = store.resolveSource(s.stageRunId);
    const source = store.stageRun(sourceId)!;
    const metrics = store
      .metrics({ stage: s.stageId, runId })
      .filter((m) => m.stageRunId === sourceId)
      .map((m) => ({ name: m.name, value: m.value, step: m.step, tags: m.tags }));
    stages.push({
      stageId: s.stageId,
      baseId: source.baseId,
      uses: source.uses,
      status: s.status,
      reason: s.reason,
      stageRunId: sourceId,
      runId: source.runId,
      startedAt: source.startedAt,
      finishedAt: source.finishedAt,
      durationMs: source.durationMs,
      logPath: source.logPath,
      metrics,
    });
  }
  return {
    run: {
      id: run.id,
      pipelineName: run.pipelineName,
      pipelineFile: run.pipelineFile,
      argv: run.argv,
      startedAt: run.startedAt,
      host: run.host,
      ...sourceRevision(run.pipelineFile),
    },
    stages,
  };
}

export function writeRunRecord(path: string, record: RunRecord): void {
  writeFileSync(path, `${JSON.stringify(record, null, 1)}\n`);
}
