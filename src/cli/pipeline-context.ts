// What every pipeline command needs first: the stage catalog, the loaded pipeline and the workspace.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Pipeline } from '../engine/config/pipeline-model.js';
import type { StageCatalog } from '../engine/stage/stage-definition.js';
import { loadPipeline } from '../engine/config/load-pipeline.js';
import { resolveWorkspaceDir } from '../engine/store/workspace.js';
import { UsageError } from './cli-error.js';
import { loadCatalog, stageModuleList } from './stage-modules.js';

export interface PipelineContext {
  pipeline: Pipeline;
  catalog: StageCatalog;
  stageModules: string[];
  workspace: string; // the .sonic directory
}

/** The workspace is `--workspace DIR`, else $SONIC_WORKSPACE, else `.sonic` in the working directory (as for the query commands). */
export async function pipelineContext(
  file: string | undefined,
  opts: {
    set?: Record<string, string>;
    workspace?: string | undefined;
    /** The command writes the workspace anyway (a real run): keep the parse cache even in a new one. */
    writesWorkspace?: boolean;
  },
): Promise<PipelineContext> {
  if (!file) throw new UsageError('missing PIPELINE (a pipeline YAML file)');
  const path = resolve(file);
  if (!existsSync(path)) throw new UsageError(`pipeline file not found: ${file}`);
  const stageModules = stageModuleList();
  const catalog = await loadCatalog(stageModules);
  const workspace = resolveWorkspaceDir(opts.workspace);
  // read-only commands (status, dag, run --dry-run) use the parse cache of an existing workspace only:
  // loading a pipeline must not create one
  const parseCacheDir = opts.writesWorkspace === true || existsSync(workspace) ? join(workspace, 'cache', 'yaml') : undefined;
  const pipeline = loadPipeline(path, { set: opts.set ?? {}, catalog, ...(parseCacheDir !== undefined ? { parseCacheDir } : {}) });
  return { pipeline, catalog, stageModules, workspace };
}
