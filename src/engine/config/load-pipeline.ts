// The pipeline-file loader: YAML (with includes, vars, profiles, matrix) -> validated, typed Pipeline.
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { StageCatalog } from '../stage/stage-definition.js';
import { DiagnosticBag, PipelineConfigError } from './diagnostics.js';
import { limitsFromEnv, type PipelineLimits } from './input-limits.js';
import { RecordOrigins } from './file-records.js';
import { loadSources } from './load-sources.js';
import type { Pipeline } from './pipeline-model.js';
import { resolveStages } from './resolve-stages.js';
import { resolveVars } from './resolve-vars.js';
import { interpolateString, InterpolationError } from './interpolation.js';
import type { Located } from './load-sources.js';
import type { Params } from './pipeline-model.js';

export { formatDiagnostics, PipelineConfigError } from './diagnostics.js';

export interface LoadPipelineOptions {
  /** `--set key=value` overrides of vars; values are parsed as YAML scalars. `profile` selects a profile. */
  set?: Record<string, string>;
  /** When given, `uses:` names must exist in it and `with:`/inputs/outputs are checked against the stage. */
  catalog?: StageCatalog;
  /**
   * Directory that `publish:` targets must stay inside. Default: the nearest directory at or above the
   * pipeline file that holds `.sonic`, `.git` or `package.json`, else the pipeline file's directory.
   */
  workspaceRoot?: string;
  /**
   * Directory for the YAML parse cache (e.g. `.sonic/cache/yaml`): files whose text was parsed before are
   * not parsed again. None: no cache.
   */
  parseCacheDir?: string;
  /**
   * Input limits (file size, nesting, list length, alias expansion, matrix size). Unset ones come from the
   * environment (SONIC_MAX_…, see input-limits.ts), else their defaults.
   */
  limits?: Partial<PipelineLimits>;
  /** Where the SONIC_MAX_… variables are read; default process.env. */
  env?: NodeJS.ProcessEnv;
}

export function findWorkspaceRoot(startDir: string): string {
  let dir = startDir;
  for (;;) {
    if (['.sonic', '.git', 'package.json'].some((m) => existsSync(join(dir, m)))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return startDir;
    dir = parent;
  }
}

/** The `notice:` text with its vars filled in ('' when there is none). */
function resolveNotice(notice: Located<string> | null, vars: Params, bag: DiagnosticBag): string {
  if (!notice) return '';
  try {
    const v = interpolateString(notice.value, { vars, matrix: {}, where: 'notice' });
    return v === null || typeof v === 'object' ? JSON.stringify(v) : String(v);
  } catch (e) {
    if (!(e instanceof InterpolationError)) throw e;
    bag.error(notice.src.pos(notice.path, 'value', e.index), e.message);
    return '';
  }
}

/** Loads, expands and checks a pipeline file. Throws PipelineConfigError listing every problem found. */
export function loadPipeline(file: string, options: LoadPipelineOptions = {}): Pipeline {
  const top = resolve(file);
  const rootDir = dirname(top);
  const bag = new DiagnosticBag();
  bag.noteFile(top);
  const fromEnv = limitsFromEnv(options.env ?? process.env);
  for (const problem of fromEnv.problems) bag.error({ file: top, line: 0, col: 0 }, problem);
  if (bag.size > 0) throw new PipelineConfigError(bag.sorted());
  const limits: PipelineLimits = { ...fromEnv.limits, ...options.limits };
  const sources = loadSources(top, bag, { limits, ...(options.parseCacheDir !== undefined && { cacheDir: options.parseCacheDir }) });
  if (sources.incomplete) throw new PipelineConfigError(bag.sorted());

  const origins = new RecordOrigins();
  const readOptions = { limits, ...(options.parseCacheDir !== undefined && { cacheDir: options.parseCacheDir }) };
  const fileVars = { ...readOptions, origins, failed: false };
  const vars = resolveVars(sources, options.set ?? {}, bag, top, limits, fileVars);
  if (fileVars.failed) throw new PipelineConfigError(bag.sorted());
  const stages = resolveStages(sources.stages, {
    vars,
    origins,
    rootDir,
    workspaceRoot: resolve(options.workspaceRoot ?? findWorkspaceRoot(rootDir)),
    catalog: options.catalog,
    bag,
    maxMatrixCombinations: limits.maxMatrixCombinations,
  });
  if (sources.stages.length === 0 && bag.size === 0) {
    bag.error(sources.top ? sources.top.pos(['stages'], 'key') : { file: top, line: 0, col: 0 }, 'the pipeline defines no stages');
  }
  const notice = resolveNotice(sources.notice, vars, bag);
  if (bag.size > 0) throw new PipelineConfigError(bag.sorted());
  return {
    name: sources.name ?? basename(top, extname(top)),
    file: top,
    rootDir,
    vars,
    ...(notice !== '' ? { notice } : {}),
    stages,
  };
}
