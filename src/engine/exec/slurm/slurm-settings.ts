// Which executor runs which stage, read from the workspace config file `sonic.config.yaml` (or
// `.sonic/config.yaml`):
//
//   executor:
//     default: local            # local | slurm
//     slurm:
//       partition: gpu
//       account: lab42
//       timeLimit: "2:00:00"
//       extraArgs: ["--qos=high"]
//       pollIntervalMs: 5000
//     stages:
//       "train_*": slurm        # base id or expanded id; `*` and `?` are wildcards
//       table: local
//
// Errors name the file, line and column of the offending value.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  defaultExecutorConfig,
  executorConfigFileForStateDir,
  ExecutorConfigError,
  WORKSPACE_CONFIG_FILES,
  type ExecutorConfig,
  type ExecutorName,
  type StageExecutorRule,
} from './executor-config.js';

export {
  defaultExecutorConfig,
  executorConfigFileForStateDir,
  ExecutorConfigError,
  executorForStage,
  WORKSPACE_CONFIG_FILES,
  type ExecutorConfig,
  type ExecutorName,
  type StageExecutorRule,
} from './executor-config.js';
import { isMap, isNode, isScalar, type Document, type LineCounter } from 'yaml';
import { limitsFromEnv, type YamlLimits } from '../../config/input-limits.js';
import { readYamlFileText } from '../../config/yaml-file-text.js';
import { parseYamlData, type YamlProblem } from '../../config/yaml-reader.js';
import { z } from 'zod';
import { isSlurmTimeLimit } from './job-script.js';
import type { SlurmExecutorSettings } from './slurm-executor.js';



const executorName = z.enum(['local', 'slurm'], { error: 'expected `local` or `slurm`' });
const word = z
  .string({ error: 'expected a string' })
  .min(1, 'must not be empty')
  .regex(/^[^\s"]+$/, 'must not contain spaces or double quotes');

const schema = z
  .object({
    executor: z
      .object({
        default: executorName.optional(),
        slurm: z
          .object({
            partition: word.optional(),
            account: word.optional(),
            timeLimit: z
              .union([z.string(), z.number().int().positive()], { error: 'expected a Slurm time such as "30" or "2:00:00"' })
              .transform((v) => String(v))
              .refine(isSlurmTimeLimit, 'expected a Slurm time: minutes, "m:s", "h:m:s" or "d-h:m:s"')
              .optional(),
            extraArgs: z
              .array(z.string({ error: 'expected a string' }).regex(/^-/, 'each extra sbatch argument must be a flag such as --qos=high'), {
                error: 'expected a list of sbatch flags',
              })
              .optional(),
            pollIntervalMs: z.number({ error: 'expected a number of milliseconds' }).int().min(100, 'must be at least 100').optional(),
            nodePath: z.string({ error: 'expected the path of node on the compute nodes' }).min(1).optional(),
          }, { error: 'expected a mapping' })
          .strict()
          .optional(),
        stages: z.record(z.string(), executorName, { error: 'expected a mapping of stage id or glob to `local` or `slurm`' }).optional(),
      }, { error: 'expected a mapping' })
      .strict()
      .optional(),
  }, { error: 'expected a mapping' })
  .passthrough();

/** The workspace's config file, if any. */
export function findWorkspaceConfig(workspaceDir: string): string | undefined {
  for (const name of WORKSPACE_CONFIG_FILES) {
    const path = join(workspaceDir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** Reads the executor section of the workspace config; `local` for everything when there is no file. */
export function loadExecutorConfig(workspaceDir: string): ExecutorConfig {
  return loadConfigFile(findWorkspaceConfig(workspaceDir));
}

/**
 * The same, starting from the runner's state directory (`--workspace`, usually `<project>/.sonic`):
 * `<its parent>/sonic.config.yaml`, else `<it>/config.yaml`.
 */
export function loadExecutorConfigForStateDir(stateDir: string): ExecutorConfig {
  return loadConfigFile(executorConfigFileForStateDir(stateDir));
}

function loadConfigFile(file: string | undefined): ExecutorConfig {
  if (file === undefined) return defaultExecutorConfig();
  const limits = yamlLimits();
  const read = readYamlFileText(file, limits);
  if (read.problem) throw yamlProblemError(file, read.problem);
  return parseExecutorConfig(read.text, file, limits);
}

function yamlLimits(): YamlLimits {
  const { limits, problems } = limitsFromEnv();
  if (problems.length > 0) throw new ExecutorConfigError(problems.join('; '));
  return limits;
}

function yamlProblemError(file: string, p: YamlProblem): ExecutorConfigError {
  const message = p.kind === 'syntax' ? p.message.replace(/^YAML syntax error: /, 'invalid YAML: ') : p.message;
  return new ExecutorConfigError(`${file}${p.line > 0 ? `:${p.line}:${p.col}` : ''}: ${message}`);
}

export function parseExecutorConfig(text: string, file: string, limits: YamlLimits = yamlLimits()): ExecutorConfig {
  const yamlRead = parseYamlData(text, limits);
  if (yamlRead.problems.length > 0 || yamlRead.parsed === undefined) throw yamlProblemError(file, yamlRead.problems[0]!);
  const { doc, lines: lineCounter } = yamlRead.parsed;
  const data: unknown = yamlRead.data ?? {};
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const where =
      issue.code === 'unrecognized_keys' ? locateKey(doc, lineCounter, path, issue.keys[0]!) : locate(doc, lineCounter, path);
    const field = path.length === 0 ? 'top level' : path.join('.');
    const message = issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.map((k) => `\`${k}\``).join(', ')}` : issue.message;
    throw new ExecutorConfigError(`${file}:${where.line}:${where.col}: ${field}: ${message}`);
  }
  const section = parsed.data.executor ?? {};
  const slurm = section.slurm ?? {};
  return {
    file,
    default: section.default ?? 'local',
    slurm: {
      ...(slurm.partition !== undefined && { partition: slurm.partition }),
      ...(slurm.account !== undefined && { account: slurm.account }),
      ...(slurm.timeLimit !== undefined && { timeLimit: slurm.timeLimit }),
      ...(slurm.extraArgs !== undefined && { extraArgs: slurm.extraArgs }),
      ...(slurm.pollIntervalMs !== undefined && { pollIntervalMs: slurm.pollIntervalMs }),
      ...(slurm.nodePath !== undefined && { nodePath: slurm.nodePath }),
    },
    stages: Object.entries(section.stages ?? {}).map(([pattern, executor]) => ({ pattern, executor })),
  };
}


/** Position of the deepest YAML node that exists along `path` (1-based line and column). */
function locate(doc: Document, lineCounter: LineCounter, path: (string | number)[]): { line: number; col: number } {
  for (let n = path.length; n >= 0; n--) {
    const node: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range !== undefined && node.range !== null) {
      return lineCounter.linePos(node.range[0]);
    }
  }
  return { line: 1, col: 1 };
}

/** Position of the key `key` in the mapping at `path`, for "unknown field" errors. */
function locateKey(doc: Document, lineCounter: LineCounter, path: (string | number)[], key: string): { line: number; col: number } {
  const map: unknown = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (isMap(map)) {
    for (const pair of map.items) {
      if (isScalar(pair.key) && pair.key.value === key && pair.key.range) return lineCounter.linePos(pair.key.range[0]);
    }
  }
  return locate(doc, lineCounter, path);
}
