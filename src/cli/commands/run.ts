// sonic run PIPELINE [TARGET…]: plan, then execute what changed.
import { gpuList, memoryMB, positiveInt, setPairs } from '../args.js';
import { processIo, runCommand, type CommandValues, type Io } from '../run-command.js';
import { RUN as SPEC } from '../specs/pipeline-commands.js';
import { pipelineContext } from '../pipeline-context.js';
import { runPipeline } from '../../engine/runner/run-pipeline.js';
import { executorForRun, otherExecutorsForRun } from '../../engine/exec/slurm/executor-for-run.js';
import { defaultExecutorConfig, executorConfigFileForStateDir } from '../../engine/exec/slurm/executor-config.js';
import { WorkspaceLockedError } from '../../engine/runner/workspace-lock.js';
import { formatPlan, formatSummary } from '../../engine/runner/run-summary.js';

const mbToBytes = (mb: number | undefined) => (mb === undefined ? undefined : mb * 1024 * 1024);

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, (values, positionals) => run(argv, values, positionals, io));
}

async function run(argv: string[], values: Values, positionals: string[], io: Io): Promise<number> {
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
  if (notice) io.stderr(`sonic: ${notice}\n`);
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
      otherExecutors: otherExecutorsForRun(config),
      argv: ['run', ...argv],
    });
    io.stdout(summary.dryRun ? formatPlan(summary.plan) : formatSummary(summary));
    if (notice) io.stderr(`sonic: ${notice}\n`);
    return summary.exitCode;
  } catch (err) {
    if (controller.signal.aborted && err instanceof WorkspaceLockedError) {
      io.stderr('sonic run: interrupted while waiting for the workspace lock\n');
      return 130;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

type Values = CommandValues<typeof SPEC.options>;

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
