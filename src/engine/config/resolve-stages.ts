// From stage definitions as written to expanded, interpolated, bound StageSpecs.
import type { StageDefinition } from '../stage/stage-definition.js';
import { bindInputs, reportCycles } from './bind-references.js';
import type { StageDefinitionSite } from './load-sources.js';
import { expandMatrix } from './matrix.js';
import { PublishedPaths } from './published-paths.js';
import type { StageSpec } from './pipeline-model.js';
import { IMPLICIT_INPUT, isRecord, type BaseStage, type Instance, type ResolveContext } from './resolve-types.js';
import { resolveInstance } from './resolve-instance.js';
import { suggestion } from './suggest.js';
import type { DataPath } from './yaml-source.js';

export type { ResolveContext } from './resolve-types.js';

export function resolveStages(sites: StageDefinitionSite[], ctx: ResolveContext): StageSpec[] {
  const { bag } = ctx;
  const bases = new Map<string, BaseStage>();
  const published = new PublishedPaths();

  for (const site of sites) {
    const base: BaseStage = { site, instances: [], outputNames: [], matrixKeys: [], resolved: false };
    bases.set(site.id, base);
    if (site.broken) continue;
    const raw = site.raw;
    const at = (path: DataPath, which: 'key' | 'value' = 'value') => site.src.pos(['stages', site.id, ...path], which);

    const hasRun = raw.run !== undefined;
    const hasUses = raw.uses !== undefined;
    if (!hasRun && !hasUses) {
      bag.error(at([], 'key'), `stage "${site.id}" needs "run" (a command) or "uses" (a built-in stage)`);
      continue;
    }
    if (hasRun && hasUses) {
      bag.error(at(['uses'], 'key'), `stage "${site.id}" has both "run" and "uses"; give only one`);
      continue;
    }
    let def: StageDefinition | undefined;
    let defOk = true;
    if (hasUses && ctx.catalog) {
      const name = raw.uses as string;
      def = ctx.catalog.get(name);
      if (!def) {
        bag.error(at(['uses']), `unknown stage "${name}"${suggestion(name, ctx.catalog.names(), 'available stages')}`);
        defOk = false;
      }
    }

    const writtenOutputs = isRecord(raw.outputs) ? Object.keys(raw.outputs) : [];
    const writtenInputs = isRecord(raw.inputs) ? Object.keys(raw.inputs) : [];
    base.outputNames = def ? [...new Set([...Object.keys(def.outputs), ...writtenOutputs])] : writtenOutputs;
    let ioOk = true;
    if (def) {
      for (const o of writtenOutputs) {
        if (!(o in def.outputs)) {
          bag.error(at(['outputs', o], 'key'), `stage "${def.name}" has no output "${o}"${suggestion(o, Object.keys(def.outputs), 'its outputs are')}`);
          ioOk = false;
        }
      }
      for (const i of writtenInputs) {
        if (!(i in def.inputs)) {
          bag.error(at(['inputs', i], 'key'), `stage "${def.name}" has no input "${i}"${suggestion(i, Object.keys(def.inputs), 'its inputs are')}`);
          ioOk = false;
        }
      }
      for (const [i, decl] of Object.entries(def.inputs)) {
        if (!decl.optional && !writtenInputs.includes(i)) {
          bag.error(at([], 'key'), `stage "${site.id}" lacks input "${i}" required by "${def.name}" (${decl.description})`);
          ioOk = false;
        }
      }
    }
    for (const i of writtenInputs) {
      if (IMPLICIT_INPUT.test(i)) {
        bag.error(at(['inputs', i], 'key'), `input name "${i}" is reserved for references written inside run`);
        ioOk = false;
      }
    }

    const matrix = expandMatrix(site, ctx.vars, bag, ctx.maxMatrixCombinations);
    if (!matrix || !defOk) continue;
    base.matrixKeys = Object.keys(matrix[0]!.values);
    // With input/output errors the instances are still checked, but references to them are not.
    base.resolved = ioOk;

    for (const m of matrix) {
      const inst = resolveInstance(site, def, m.id, m.values, m.records, base.outputNames, ctx, published);
      base.instances.push(inst);
    }
  }

  const all = [...bases.values()].flatMap((b) => b.instances);
  const seenIds = new Map<string, Instance>();
  for (const inst of all) {
    const prev = seenIds.get(inst.spec.id);
    if (prev) bag.error(inst.site.src.pos(['stages', inst.site.id, 'matrix'], 'key'), `duplicate stage id "${inst.spec.id}" after matrix expansion`);
    else seenIds.set(inst.spec.id, inst);
  }

  for (const inst of all) bindInputs(inst, bases, ctx, published);
  reportCycles(all, bag);
  return all.map((i) => i.spec);
}
