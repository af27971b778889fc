// The built-in stage modules the CLI hands to the engine. The engine never imports stages itself.
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StageCatalog, StageDefinition, StageModuleExports } from '../engine/stage/stage-definition.js';
import { UsageError } from './cli-error.js';

/** Modules compiled into the package that export `stages`: the built-in catalog (src/stages/index.ts). */
export const DEFAULT_STAGE_MODULES: readonly string[] = [new URL('../stages/index.js', import.meta.url).href];

/** Default modules plus `SONIC_STAGE_MODULES` (comma-separated paths or URLs; paths relative to the cwd). */
export function stageModuleList(env: NodeJS.ProcessEnv = process.env): string[] {
  const extra = (env.SONIC_STAGE_MODULES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (/^[a-z]+:/i.test(s) ? s : pathToFileURL(isAbsolute(s) ? s : resolve(s)).href));
  return [...DEFAULT_STAGE_MODULES, ...extra];
}

export async function loadCatalog(modules: string[]): Promise<StageCatalog> {
  const byName = new Map<string, { def: StageDefinition; module: string }>();
  for (const m of modules) {
    let mod: Partial<StageModuleExports> & { default?: Partial<StageModuleExports> };
    try {
      mod = (await import(m)) as typeof mod;
    } catch (err) {
      throw new UsageError(`cannot load stage module ${m}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const stages = mod.stages ?? mod.default?.stages;
    if (!Array.isArray(stages)) throw new UsageError(`stage module ${m} does not export \`stages\``);
    for (const def of stages) {
      const prev = byName.get(def.name);
      if (prev) throw new UsageError(`stage ${def.name} is defined by both ${prev.module} and ${m}`);
      byName.set(def.name, { def, module: m });
    }
  }
  return { get: (name) => byName.get(name)?.def, names: () => [...byName.keys()].sort() };
}
