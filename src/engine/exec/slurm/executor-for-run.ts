// The one call the CLI (or any caller of runPipeline) needs to honour `--executor` and the workspace's
// `executor:` settings: it returns the Executor to hand to runPipeline.
import type { Executor } from '../executor.js';
import { LocalExecutor, type LocalExecutorOptions } from '../local-executor.js';
import { ExecutorRouter } from './executor-router.js';
import { SlurmExecutor } from './slurm-executor.js';
import { ExecutorConfigError, type ExecutorConfig, type ExecutorName } from './executor-config.js';

export const EXECUTOR_NAMES: readonly ExecutorName[] = ['local', 'slurm'];

export interface ExecutorForRunOptions {
  config: ExecutorConfig; // from loadExecutorConfig / loadExecutorConfigForStateDir
  /** `--executor NAME`: every stage on that executor, ignoring `executor.default` and `executor.stages`. */
  override?: string;
  stages: { id: string; baseId: string }[]; // the pipeline's stages (for base-id rules)
  local?: LocalExecutorOptions;
}

export function executorForRun(options: ExecutorForRunOptions): Executor {
  const { config, override } = options;
  if (override !== undefined && !(EXECUTOR_NAMES as readonly string[]).includes(override)) {
    throw new ExecutorConfigError(`unknown executor "${override}" (available: ${EXECUTOR_NAMES.join(', ')})`);
  }
  const local = () => new LocalExecutor(options.local ?? {});
  const slurm = () => new SlurmExecutor(config.slurm);
  if (override === 'local') return local();
  if (override === 'slurm') return slurm();
  const used = new Set<ExecutorName>([config.default, ...config.stages.map((r) => r.executor)]);
  if (used.size === 1) return config.default === 'slurm' ? slurm() : local();
  return new ExecutorRouter({ config, executors: { local: local(), slurm: slurm() }, stages: options.stages });
}

/**
 * The cluster executors a workspace may have jobs on, for runPipeline's `otherExecutors`: jobs a killed
 * runner left on one of them that the run's own executor cannot re-attach to are cancelled through it.
 */
export function otherExecutorsForRun(config: ExecutorConfig): Executor[] {
  return [new SlurmExecutor(config.slurm)];
}
