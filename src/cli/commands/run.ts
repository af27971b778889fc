// sonic run PIPELINE [TARGET…]: plan, then execute what changed.
import { parse, gpuList, memoryMB, positiveInt, setPairs } from '../args.js';
import { pipelineContext } from '../pipeline-context.js';
import { runPipeline } from '../../engine/runner/run-pipeline.js';
import { executorForRun } from '../../engine/exec/slurm/executor-for-run.js';
import { defaultExecutorConfig, executorConfigFileForStateDir } from '../../engine/exec/slurm/executor-config.js';
import { WorkspaceLockedError } from '../../engine/runner/workspace-lock.js';
import { formatPlan, formatSummary } from '../../engine/runner/run-summary.js';

export const USAGE = `usage: sonic run PIPELINE [TARGET…] [options]

Runs the targets (stage ids or base ids of matrix stages) and everything they depend on; all stages when
no target is given. Stages whose fingerprint matches an earlier successful run are reused, not rerun.

options:
  --set KEY=VALUE     override a pipeline var (repeatable)
  --jobs N            run at most N stages at once (default: --cpus)
  --cpus N            cpu budget shared by running stages (default: all cores)
  --memory SIZE       memory budget, e.g. 8GB (default: total memory)
  --gpus IDS          GPU device ids to hand out, e.g. 0,1 (default: detected with nvidia-smi)
  --force STAGE       rerun STAGE even if cached (repeatable; base ids select all instances)
  --dry-run           print what would run and why; execute nothing
  --fail-fast         on the first failure stop scheduling and cancel running stages
  --wait              wait for another run holding the workspace lock instead of failing
  --no-progress       plain line output instead of the live progress display
  --log-limit SIZE    cap on each stage's log file, e.g. 200MB (default 64MB); output past it is discarded
  --workspace DIR     the .sonic directory (default: $SONIC_WORKSPACE, else ./.sonic)
  --executor NAME     where stages run: local or slurm (default: the workspace config's executor.default,
                      else local); overrides executor.default and executor.stages

exit codes: 0 ok, 1 a stage failed, 2 usage or config error, 130 interrupted`;

const mbToBytes = (mb: number | undefined) => (mb === undefined ? undefined : mb * 1024 * 1024);

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      set: { type: 'string', multiple: true },
      jobs: { type: 'string' },
      cpus: { type: 'string' },
      memory: { type: 'string' },
      gpus: { type: 'string' },
      force: { type: 'string', multiple: true },
      'dry-run': { type: 'boolean' },
      'fail-fast': { type: 'boolean' },
      wait: { type: 'boolean' },
      'no-progress': { type: 'boolean' },
      workspace: { type: 'string' },
      executor: { type: 'string' },
      'log-limit': { type: 'string' },
    },
    USAGE,
  );
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [file, ...targets] = positionals;
  const budget = {
    ...optional('jobs', positiveInt(values.jobs, '--jobs')),
    ...optional('cpus', positiveInt(values.cpus, '--cpus')),
    ...optional('memoryMB', memoryMB(values.memory, '--memory')),
    ...optional('gpus', gpuList(values.gpus)),
    ...optional('logLimitBytes', mbToBytes(memoryMB(values['log-limit'], '--log-limit'))),
  };
  const ctx = await pipelineContext(file, { set: setPairs(values.set), workspace: values.workspace, writesWorkspace: values['dry-run'] !== true });
  // the config parser (yaml, zod) is loaded only when the workspace has a config file
  const config =
    executorConfigFileForStateDir(ctx.workspace) === undefined
      ? defaultExecutorConfig()
      : (await import('../../engine/exec/slurm/slurm-settings.js')).loadExecutorConfigForStateDir(ctx.workspace);
  const executor = executorForRun({
    config,
    ...(values.executor !== undefined ? { override: values.executor } : {}),
    stages: ctx.pipeline.stages,
  });

  const notice = (ctx.pipeline.notice ?? '').trim();
  if (notice) process.stderr.write(`sonic: ${notice}\n`);
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts === 1) {
      process.stderr.write('\nsonic: interrupting running stages (Ctrl-C again to quit at once)\n');
      controller.abort();
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    const summary = await runPipeline(ctx.pipeline, {
      workspace: ctx.workspace,
      targets,
      ...budget,
      force: values.force ?? [],
      dryRun: values['dry-run'] ?? false,
      failFast: values['fail-fast'] ?? false,
      waitForLock: values.wait ?? false,
      progress: values['no-progress'] || !process.stderr.isTTY ? 'plain' : 'tty',
      catalog: ctx.catalog,
      stageModules: ctx.stageModules,
      signal: controller.signal,
      executor,
      argv: ['run', ...argv],
    });
    process.stdout.write(summary.dryRun ? formatPlan(summary.plan) : formatSummary(summary));
    if (notice) process.stderr.write(`sonic: ${notice}\n`);
    return summary.exitCode;
  } catch (err) {
    if (controller.signal.aborted && err instanceof WorkspaceLockedError) {
      process.stderr.write('sonic run: interrupted while waiting for the workspace lock\n');
      return 130;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
