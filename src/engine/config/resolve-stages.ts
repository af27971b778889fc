// From stage definitions as written to expanded, interpolated, bound StageSpecs.
import { existsSync } from 'node:fs';
import { isAbsolute, posix, relative, resolve } from 'node:path';
import type { StageCatalog, StageDefinition } from '../stage/stage-definition.js';
import { findCycles } from './cycles.js';
import { displayPath, type DiagnosticBag } from './diagnostics.js';
import {
  exprSource,
  interpolateDeep,
  interpolateString,
  InterpolationError,
  parseTemplate,
  type Expr,
  type InterpolationScope,
  type PathedError,
} from './interpolation.js';
import type { StageDefinitionSite } from './load-sources.js';
import { expandMatrix, matrixLabel } from './matrix.js';
import { parseMemoryMB } from './memory.js';
import type { InputBinding, InputRef, OutputDecl, OutputRef, ParamValue, Params, SourcePos, StageSpec } from './pipeline-model.js';
import { shellSplit } from './shell-split.js';
import { suggestion } from './suggest.js';
import type { DataPath } from './yaml-source.js';
import { describeValue, issuesToDiagnostics } from './zod-issues.js';

type StageExpr = Extract<Expr, { kind: 'stage' }>;

interface PendingItem {
  ref?: StageExpr;
  file?: string; // as written (after interpolation), relative to rootDir
  pos: SourcePos;
}

interface PendingInput {
  items: PendingItem[];
  list: boolean;
  keyPos: SourcePos;
}

interface RunPlaceholder {
  kind: 'inputs' | 'outputs';
  name: string;
  whole: boolean;
  pos: SourcePos;
}

interface Instance {
  spec: StageSpec;
  site: StageDefinitionSite;
  def: StageDefinition | undefined;
  pending: Map<string, PendingInput>;
  placeholders: RunPlaceholder[];
}

interface BaseStage {
  site: StageDefinitionSite;
  instances: Instance[];
  outputNames: string[];
  matrixKeys: string[];
  resolved: boolean; // false: known id, but errors prevented expansion (references to it are not checked)
}

export interface ResolveContext {
  vars: Params;
  rootDir: string;
  workspaceRoot: string;
  catalog?: StageCatalog;
  bag: DiagnosticBag;
}

const IMPLICIT_INPUT = /^_ref\d+$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function resolveStages(sites: StageDefinitionSite[], ctx: ResolveContext): StageSpec[] {
  const { bag } = ctx;
  const bases = new Map<string, BaseStage>();
  const publishedBy = new Map<string, string>();

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

    const matrix = expandMatrix(site, ctx.vars, bag);
    if (!matrix || !defOk) continue;
    base.matrixKeys = Object.keys(matrix[0]!.values);
    // With input/output errors the instances are still checked, but references to them are not.
    base.resolved = ioOk;

    for (const m of matrix) {
      const inst = resolveInstance(site, def, m.id, m.values, base.outputNames, ctx, publishedBy);
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

  for (const inst of all) bindInputs(inst, bases, ctx);
  reportCycles(all, bag);
  return all.map((i) => i.spec);
}

function resolveInstance(
  site: StageDefinitionSite,
  def: StageDefinition | undefined,
  id: string,
  matrix: Params,
  outputNames: string[],
  ctx: ResolveContext,
  publishedBy: Map<string, string>,
): Instance {
  const { bag, vars } = ctx;
  const raw = site.raw;
  const stagePath = ['stages', site.id];
  const at = (path: DataPath, which: 'key' | 'value' = 'value') => site.src.pos([...stagePath, ...path], which);
  const report = (field: string, errors: PathedError[]) => {
    for (const e of errors) bag.error(at([field, ...e.path]), e.message);
  };
  const scope = (where: string): InterpolationScope => ({ vars, matrix, where });
  const interpolateField = (field: string): ParamValue | undefined => {
    if (raw[field] === undefined) return undefined;
    const errors: PathedError[] = [];
    const v = interpolateDeep(raw[field], scope(field), errors);
    report(field, errors);
    return errors.length > 0 ? undefined : v;
  };

  const spec: StageSpec = {
    id,
    baseId: site.id,
    matrix,
    kind: raw.run !== undefined ? 'run' : 'uses',
    with: {},
    inputs: {},
    outputs: {},
    resources: { cpu: 1, memoryMB: 0, gpu: 0 },
    cache: true,
    retries: 0,
    env: {},
    tags: {},
    pos: at([], 'key'),
  };
  if (spec.kind === 'uses') spec.uses = raw.uses as string;

  // with: params (validated and defaulted by the built-in stage's schema when a catalog is given)
  const withValue = (interpolateField('with') ?? {}) as Params;
  if (def) {
    const parsed = def.params.safeParse(withValue);
    if (parsed.success) spec.with = (parsed.data ?? {}) as Params;
    else {
      const withPath = raw.with === undefined ? stagePath : [...stagePath, 'with'];
      for (const d of issuesToDiagnostics(parsed.error.issues, def.params, withValue, site.src, withPath)) {
        bag.add({ ...d, message: `with: ${d.message}` });
      }
    }
  } else spec.with = withValue;

  // env and tags: scalar values, stored as strings
  const stringMap = (field: 'env' | 'tags'): Record<string, string> => {
    const v = interpolateField(field);
    const out: Record<string, string> = {};
    if (!isRecord(v)) return out;
    for (const [k, x] of Object.entries(v)) {
      if (x === null || typeof x === 'object') bag.error(at([field, k]), `${k}: expected a string, number or boolean, got ${describeValue(x)}`);
      else out[k] = String(x);
    }
    return out;
  };
  spec.env = stringMap('env');
  spec.tags = stringMap('tags');
  for (const [k, v] of Object.entries(matrix)) {
    if (Object.hasOwn(spec.tags, k)) bag.error(at(['tags', k], 'key'), `tag "${k}" collides with the matrix key of the same name (matrix values are added as tags)`);
    spec.tags[k] = String(v);
  }

  // resources, cache, retries: typed after interpolation
  const resources = interpolateField('resources');
  if (isRecord(resources)) {
    if (resources.cpu !== undefined) {
      if (typeof resources.cpu === 'number' && resources.cpu > 0) spec.resources.cpu = resources.cpu;
      else bag.error(at(['resources', 'cpu']), `cpu: expected a number of cores > 0, got ${describeValue(resources.cpu)}`);
    }
    if (resources.memory !== undefined) {
      const mb = parseMemoryMB(resources.memory);
      if (mb !== null) spec.resources.memoryMB = mb;
      else bag.error(at(['resources', 'memory']), `memory: expected a memory size such as 512MB, 2GB or a number of MB, got ${describeValue(resources.memory)}`);
    }
    if (resources.gpu !== undefined) {
      if (Number.isInteger(resources.gpu) && (resources.gpu as number) >= 0) spec.resources.gpu = resources.gpu as number;
      else bag.error(at(['resources', 'gpu']), `gpu: expected an integer number of GPUs >= 0, got ${describeValue(resources.gpu)}`);
    }
  }
  const cache = interpolateField('cache');
  if (cache !== undefined) {
    if (typeof cache === 'boolean') spec.cache = cache;
    else bag.error(at(['cache']), `cache: expected true or false, got ${describeValue(cache)}`);
  }
  const retries = interpolateField('retries');
  if (retries !== undefined) {
    if (Number.isInteger(retries) && (retries as number) >= 0) spec.retries = retries as number;
    else bag.error(at(['retries']), `retries: expected an integer >= 0, got ${describeValue(retries)}`);
  }

  // outputs
  const writtenOutputs = isRecord(raw.outputs) ? raw.outputs : {};
  for (const name of outputNames) {
    const written = writtenOutputs[name];
    const decl = resolveOutput(name, written, site, at, scope('outputs'), ctx);
    if (!decl) continue;
    if (decl.publish) {
      const other = publishedBy.get(decl.publish);
      if (other !== undefined) {
        bag.error(at(['outputs', name, 'publish']), `publish target ${displayPath(decl.publish)} is also published by stage "${other}"`);
      } else publishedBy.set(decl.publish, id);
    }
    spec.outputs[name] = decl;
  }

  // inputs (references are bound once every stage is expanded)
  const pending = new Map<string, PendingInput>();
  if (isRecord(raw.inputs)) {
    for (const [name, value] of Object.entries(raw.inputs)) {
      const p = collectInput(value, [...stagePath, 'inputs', name], site, scope('inputs'), bag);
      if (p) pending.set(name, { ...p, keyPos: at(['inputs', name], 'key') });
    }
  }

  // run: argv with implicit inputs for stage references
  const placeholders: RunPlaceholder[] = [];
  if (spec.kind === 'run') {
    const argv = resolveRun(raw.run as string | (string | number | boolean)[], site, at, vars, matrix, pending, placeholders, bag);
    if (argv) spec.run = argv;
  }
  return { spec, site, def, pending, placeholders };
}

function resolveOutput(
  name: string,
  written: unknown,
  site: StageDefinitionSite,
  at: (path: DataPath, which?: 'key' | 'value') => SourcePos,
  scope: InterpolationScope,
  ctx: ResolveContext,
): OutputDecl | null {
  const { bag } = ctx;
  const isObj = isRecord(written);
  const rawPath = written === undefined ? name : isObj ? written.path : written;
  const pathLoc = isObj ? ['outputs', name, 'path'] : ['outputs', name];
  const one = (value: unknown, loc: DataPath, what: string): string | null => {
    try {
      const v = typeof value === 'string' ? interpolateString(value, scope) : value;
      if (typeof v === 'string' && v !== '') return v;
      bag.error(at(loc), `${what}: expected a path, got ${describeValue(v)}`);
    } catch (e) {
      if (!(e instanceof InterpolationError)) throw e;
      bag.error(at(loc), e.message);
    }
    return null;
  };
  const path = one(rawPath, pathLoc, 'path');
  if (path === null) return null;
  let ok = true;
  const normalized = posix.normalize(path.replaceAll('\\', '/'));
  if (isAbsolute(path) || posix.isAbsolute(normalized) || /^[A-Za-z]:/.test(path)) {
    bag.error(at(pathLoc), `output path ${JSON.stringify(path)} must be relative to the stage's output directory`);
    ok = false;
  } else if (normalized.split('/').includes('..')) {
    bag.error(at(pathLoc), `output path ${JSON.stringify(path)} must stay inside the stage's output directory (no "..")`);
    ok = false;
  } else if (normalized === '.' || normalized === './') {
    bag.error(at(pathLoc), `output path ${JSON.stringify(path)} must name a file or directory inside the stage's output directory`);
    ok = false;
  }
  const decl: OutputDecl = { path: normalized.replace(/\/$/, '') };
  if (isObj && written.publish !== undefined) {
    const loc = ['outputs', name, 'publish'];
    const publish = one(written.publish, loc, 'publish');
    if (publish === null) return null;
    const abs = resolve(ctx.rootDir, publish);
    const rel = relative(ctx.workspaceRoot, abs);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      bag.error(at(loc), `publish path ${JSON.stringify(publish)} resolves outside the workspace root`);
      ok = false;
    }
    decl.publish = abs;
  }
  return ok ? decl : null;
}

function collectInput(
  value: unknown,
  path: DataPath,
  site: StageDefinitionSite,
  scope: InterpolationScope,
  bag: DiagnosticBag,
): { items: PendingItem[]; list: boolean } | null {
  const items: PendingItem[] = [];
  let ok = true;
  const item = (v: unknown, loc: DataPath): ParamValue | undefined => {
    const pos = site.src.pos(loc);
    if (typeof v !== 'string') {
      bag.error(pos, `expected a path or a \${{ stages.ID.outputs.NAME }} reference, got ${describeValue(v)}`);
      ok = false;
      return undefined;
    }
    const segments = parseTemplate(v);
    if (typeof segments !== 'string' && segments.length === 1 && 'expr' in segments[0]! && segments[0].expr.kind === 'stage') {
      items.push({ ref: segments[0].expr, pos });
      return undefined;
    }
    try {
      const r = interpolateString(v, {
        ...scope,
        reference: (e) => ({
          error:
            e.kind === 'stage'
              ? `"\${{ ${exprSource(e)} }}" must be the whole input value (one reference per input or list item)`
              : `"\${{ ${exprSource(e)} }}" is only allowed in run`,
        }),
      });
      return r;
    } catch (e) {
      if (!(e instanceof InterpolationError)) throw e;
      bag.error(pos, e.message);
      ok = false;
      return undefined;
    }
  };
  const addFiles = (v: ParamValue | undefined, loc: DataPath, allowList: boolean): boolean => {
    if (v === undefined) return false;
    if (typeof v === 'string' && v !== '') {
      items.push({ file: v, pos: site.src.pos(loc) });
      return false;
    }
    if (allowList && Array.isArray(v)) {
      for (const x of v) addFiles(x, loc, false);
      return true;
    }
    bag.error(site.src.pos(loc), `expected a path or a \${{ stages.ID.outputs.NAME }} reference, got ${describeValue(v)}`);
    ok = false;
    return false;
  };
  let list = false;
  if (Array.isArray(value)) {
    list = true;
    value.forEach((v, i) => addFiles(item(v, [...path, i]), [...path, i], false));
  } else {
    list = addFiles(item(value, path), path, true);
  }
  return ok ? { items, list } : null;
}

function resolveRun(
  run: string | (string | number | boolean)[],
  site: StageDefinitionSite,
  at: (path: DataPath, which?: 'key' | 'value') => SourcePos,
  vars: Params,
  matrix: Params,
  pending: Map<string, PendingInput>,
  placeholders: RunPlaceholder[],
  bag: DiagnosticBag,
): string[] | null {
  let words: { text: string; loc: DataPath }[];
  if (typeof run === 'string') {
    const split = shellSplit(run);
    if (!Array.isArray(split)) {
      bag.error(at(['run']), split.error);
      return null;
    }
    words = split.map((text) => ({ text, loc: ['run'] }));
  } else {
    words = run.map((w, i) => ({ text: typeof w === 'string' ? w : String(w), loc: ['run', i] }));
  }
  let refCount = 0;
  let ok = true;
  const argv: string[] = [];
  for (const { text, loc } of words) {
    const pos = at(loc);
    try {
      const v = interpolateString(text, {
        vars,
        matrix,
        where: 'run',
        keepEscapes: true,
        reference: (e, whole) => {
          if (e.kind === 'stage') {
            const name = `_ref${refCount++}`;
            pending.set(name, { items: [{ ref: e, pos }], list: false, keyPos: pos });
            placeholders.push({ kind: 'inputs', name, whole, pos });
            return `\${{ inputs.${name} }}`;
          }
          placeholders.push({ kind: e.kind, name: e.name, whole, pos });
          return `\${{ ${e.kind}.${e.name} }}`;
        },
      });
      if (Array.isArray(v)) {
        for (const x of v) {
          if (x === null || typeof x === 'object') throw new InterpolationError(`a list spliced into run must hold strings, numbers or booleans, got ${describeValue(x)}`);
          argv.push(String(x));
        }
      } else if (v !== null && typeof v === 'object') {
        throw new InterpolationError(`"${text}" is a mapping; run arguments must be strings`);
      } else argv.push(String(v));
    } catch (e) {
      if (!(e instanceof InterpolationError)) throw e;
      bag.error(pos, e.message);
      ok = false;
    }
  }
  return ok ? argv : null;
}

function bindRef(ref: StageExpr, pos: SourcePos, from: Instance, bases: Map<string, BaseStage>, bag: DiagnosticBag): { refs: OutputRef[]; fanIn: boolean } | null {
  const target = bases.get(ref.stage);
  if (!target) {
    bag.error(pos, `unknown stage "${ref.stage}" in "\${{ ${exprSource(ref)} }}"${suggestion(ref.stage, bases.keys(), 'stages are')}`);
    return null;
  }
  if (!target.resolved) return null;
  if (!target.outputNames.includes(ref.output)) {
    bag.error(pos, `stage "${ref.stage}" has no output "${ref.output}"${suggestion(ref.output, target.outputNames, 'its outputs are')}`);
    return null;
  }
  const selected = new Map(ref.select ?? []);
  for (const k of selected.keys()) {
    if (!target.matrixKeys.includes(k)) {
      bag.error(pos, `stage "${ref.stage}" has no matrix key "${k}"${target.matrixKeys.length ? suggestion(k, target.matrixKeys, 'its matrix keys are') : ' (it has no matrix)'}`);
      return null;
    }
  }
  let candidates = target.instances.filter((t) => [...selected].every(([k, v]) => String(t.spec.matrix[k]) === v));
  if (candidates.length === 0) {
    bag.error(pos, `no instance of stage "${ref.stage}" matches [${[...selected].map(([k, v]) => `${k}=${v}`).join(',')}]`);
    return null;
  }
  const shared = target.matrixKeys.filter((k) => !selected.has(k) && Object.hasOwn(from.spec.matrix, k));
  candidates = candidates.filter((t) => shared.every((k) => String(t.spec.matrix[k]) === String(from.spec.matrix[k])));
  if (candidates.length === 0) {
    const want = Object.fromEntries(shared.map((k) => [k, from.spec.matrix[k]!]));
    bag.error(pos, `stage "${from.spec.id}" refers to "${ref.stage}[${matrixLabel(want)}]", which the matrix of "${ref.stage}" does not produce`);
    return null;
  }
  const fanIn = target.matrixKeys.some((k) => !selected.has(k) && !shared.includes(k));
  return { refs: candidates.map((t) => ({ kind: 'output', stage: t.spec.id, output: ref.output })), fanIn };
}

function bindInputs(inst: Instance, bases: Map<string, BaseStage>, ctx: ResolveContext): void {
  const { bag } = ctx;
  for (const [name, p] of inst.pending) {
    if (inst.def && !IMPLICIT_INPUT.test(name) && !(name in inst.def.inputs)) continue; // reported already
    const refs: InputRef[] = [];
    let list = p.list;
    let ok = true;
    for (const item of p.items) {
      if (item.ref) {
        const bound = bindRef(item.ref, item.pos, inst, bases, bag);
        if (!bound) {
          ok = false;
          continue;
        }
        refs.push(...bound.refs);
        if (bound.fanIn) list = true;
      } else if (item.file !== undefined) {
        const abs = resolve(ctx.rootDir, item.file);
        if (!existsSync(abs)) {
          bag.error(item.pos, `input file not found: ${displayPath(abs)}`);
          ok = false;
          continue;
        }
        refs.push({ kind: 'file', path: abs });
      }
    }
    if (!ok) continue;
    const decl = inst.def?.inputs[name];
    if (decl?.list) list = true;
    else if (decl && list) {
      bag.error(p.items[0]?.pos ?? p.keyPos, `input "${name}" of "${inst.def!.name}" takes one path, but this binds a list of ${refs.length} (a fan-in over matrix instances or a YAML list)`);
      continue;
    }
    inst.spec.inputs[name] = { refs, list } satisfies InputBinding;
  }
  for (const ph of inst.placeholders) {
    const names = ph.kind === 'inputs' ? Object.keys(inst.spec.inputs) : Object.keys(inst.spec.outputs);
    const known = ph.kind === 'inputs' ? [...inst.pending.keys()] : Object.keys(inst.spec.outputs);
    if (!known.includes(ph.name)) {
      bag.error(ph.pos, `"\${{ ${ph.kind}.${ph.name} }}": stage "${inst.site.id}" has no ${ph.kind === 'inputs' ? 'input' : 'output'} "${ph.name}"${suggestion(ph.name, known.filter((n) => !IMPLICIT_INPUT.test(n)), `its ${ph.kind} are`)}`);
    } else if (ph.kind === 'inputs' && names.includes(ph.name) && inst.spec.inputs[ph.name]!.list && !ph.whole) {
      bag.error(ph.pos, `list input "${ph.name}" must be a whole run argument (it expands to one argument per path)`);
    }
  }
}

function reportCycles(all: Instance[], bag: DiagnosticBag): void {
  const edges = new Map<string, string[]>();
  for (const inst of all) {
    const deps = Object.values(inst.spec.inputs).flatMap((b) => b.refs.filter((r): r is OutputRef => r.kind === 'output').map((r) => r.stage));
    edges.set(inst.spec.id, [...new Set(deps)]);
  }
  const byId = new Map(all.map((i) => [i.spec.id, i]));
  const reported = new Set<string>();
  for (const cycle of findCycles(all.map((i) => i.spec.id), edges)) {
    const baseKey = cycle.map((id) => byId.get(id)!.spec.baseId).join(' -> ');
    if (reported.has(baseKey)) continue;
    reported.add(baseKey);
    bag.error(byId.get(cycle[0]!)!.spec.pos, `dependency cycle: ${cycle.join(' -> ')} (each stage takes an input from the next)`);
  }
}
