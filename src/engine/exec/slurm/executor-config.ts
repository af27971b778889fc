// The executor part of the workspace config that every run needs, without the YAML and zod machinery that
// parsing the config file takes (slurm-settings.ts): types, the error, where the file lives, and which
// executor a stage goes to. A run without a config file never loads the parser.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SlurmExecutorSettings } from './slurm-executor.js';

export type ExecutorName = 'local' | 'slurm';

export interface StageExecutorRule {
  pattern: string; // as written
  executor: ExecutorName;
}

export interface ExecutorConfig {
  file?: string; // the config file it came from; undefined when the workspace has none
  default: ExecutorName;
  slurm: Pick<SlurmExecutorSettings, 'partition' | 'account' | 'timeLimit' | 'extraArgs' | 'pollIntervalMs' | 'nodePath'>;
  stages: StageExecutorRule[]; // in file order
}

export const WORKSPACE_CONFIG_FILES = ['sonic.config.yaml', '.sonic/config.yaml'] as const;

export class ExecutorConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExecutorConfigError';
  }
}

/** Every stage on the local executor: the config of a workspace without a config file. */
export function defaultExecutorConfig(): ExecutorConfig {
  return { default: 'local', slurm: {}, stages: [] };
}

/**
 * The config file of the runner's state directory (`--workspace`, usually `<project>/.sonic`):
 * `<its parent>/sonic.config.yaml`, else `<it>/config.yaml`; undefined when neither exists.
 */
export function executorConfigFileForStateDir(stateDir: string): string | undefined {
  return [join(dirname(stateDir), 'sonic.config.yaml'), join(stateDir, 'config.yaml')].find((p) => existsSync(p));
}

/**
 * The executor for one stage: an exact match on the expanded id wins, then an exact match on the base id,
 * then the first glob (in file order) matching either; otherwise the default.
 */
export function executorForStage(config: ExecutorConfig, stage: { id: string; baseId: string }): ExecutorName {
  const exact = config.stages.find((r) => r.pattern === stage.id) ?? config.stages.find((r) => r.pattern === stage.baseId);
  if (exact !== undefined) return exact.executor;
  const glob = config.stages.find((r) => {
    const re = globToRegExp(r.pattern);
    return re.test(stage.id) || re.test(stage.baseId);
  });
  return glob?.executor ?? config.default;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}
