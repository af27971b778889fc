// sonic status PIPELINE: the last successful run of every stage and whether (and why) it would rerun.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setPairs } from '../args.js';
import { processIo, runCommand, type Io } from '../run-command.js';
import { STATUS as SPEC } from '../specs/pipeline-commands.js';
import { pipelineContext } from '../pipeline-context.js';
import { runPipeline } from '../../engine/runner/run-pipeline.js';
import { DB_FILE_NAME, openRunStore } from '../../engine/store/run-store.js';

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, async (values, positionals) => {
    const [file, ...targets] = positionals;
    const ctx = await pipelineContext(file, { set: setPairs(values.set), workspace: values.workspace });
    const summary = await runPipeline(ctx.pipeline, {
      workspace: ctx.workspace,
      targets,
      force: values.force ?? [],
      dryRun: true,
      catalog: ctx.catalog,
      stageModules: ctx.stageModules,
      checkResources: false,
    });
    const store = existsSync(join(ctx.workspace, DB_FILE_NAME)) ? openRunStore(ctx.workspace, { readonly: true }) : undefined;
    try {
      const latest = new Map<string, { status: string; run_id: number }>();
      if (store) {
        const rows = store.query('SELECT stage_id, status, run_id FROM stage_runs WHERE id IN (SELECT MAX(id) FROM stage_runs GROUP BY stage_id)');
        for (const r of rows) latest.set(String(r.stage_id), { status: String(r.status), run_id: Number(r.run_id) });
      }
      const rows = summary.plan.map((p) => {
        // A renamed stage (same work, new id) reuses a run recorded under its old id.
        const last = store?.lastSucceeded(p.stage.id) ?? p.reusedFrom;
        const recent = latest.get(p.stage.id);
        const lastRun = recent ? `${recent.status} (run ${recent.run_id})` : '-';
        const lastOk = last ? `run ${last.runId}, ${last.finishedAt ?? last.startedAt ?? ''}` : 'never';
        return [p.stage.id, lastRun, lastOk, p.decision === 'run' ? `would run: ${p.reason}` : `${p.tentativeOn?.length ? p.reason : 'up to date'}${p.publishDrift ? `; published copy ${p.publishDrift.join(', ')}: the next run restores it` : ''}`] as const;
      });
      const w0 = Math.max(5, ...rows.map((r) => r[0].length));
      const w1 = Math.max(8, ...rows.map((r) => r[1].length));
      const w2 = Math.max(14, ...rows.map((r) => r[2].length));
      const lines = [`${'stage'.padEnd(w0)}  ${'last run'.padEnd(w1)}  ${'last succeeded'.padEnd(w2)}  next run`];
      for (const [id, lastRun, lastOk, next] of rows) lines.push(`${id.padEnd(w0)}  ${lastRun.padEnd(w1)}  ${lastOk.padEnd(w2)}  ${next}`);
      const stale = summary.plan.filter((p) => p.decision === 'run').length;
      lines.push(`${stale} of ${summary.plan.length} stage${summary.plan.length === 1 ? '' : 's'} would run`);
      io.stdout(`${lines.join('\n')}\n`);
    } finally {
      store?.close();
    }
    return 0;
  });
}
