// One expanded stage instance: every field interpolated with its vars and matrix values, and typed.
import type { StageDefinition } from '../stage/stage-definition.js';
import { interpolateDeep, type InterpolationScope, type PathedError } from './interpolation.js';
import type { StageDefinitionSite } from './load-sources.js';
import { parseMemoryMB } from './memory.js';
import { parseDurationMs } from './duration.js';
import type { ParamValue, Params, StageSpec } from './pipeline-model.js';
import { isRecord, type Instance, type PendingInput, type ResolveContext, type RunPlaceholder } from './resolve-types.js';
import { collectInput } from './stage-inputs.js';
import { resolveOutput } from './stage-outputs.js';
import { outputPathsOverlap, overlappingPublishMessage, type PublishedPaths } from './published-paths.js';
import { resolveRun } from './stage-run.js';
import type { DataPath } from './yaml-source.js';
import { resolveWithParams } from './with-params.js';
import { describeValue } from './zod-issues.js';

export function resolveInstance(
  site: StageDefinitionSite,
  def: StageDefinition | undefined,
  id: string,
  matrix: Params,
  matrixRecords: Params,
  outputNames: string[],
  ctx: ResolveContext,
  published: PublishedPaths,
): Instance {
  const { bag, vars } = ctx;
  const raw = site.raw;
  const stagePath = ['stages', site.id];
  const at = (path: DataPath, which: 'key' | 'value' = 'value', index?: number) => site.src.pos([...stagePath, ...path], which, index);
  const report = (field: string, errors: PathedError[]) => {
    for (const e of errors) bag.error(at([field, ...e.path], 'value', e.index), e.message);
  };
  const scope = (where: string): InterpolationScope => ({ vars, matrix: matrixRecords, where });
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
    priority: 0,
    env: {},
    tags: {},
    pos: at([], 'key'),
  };
  if (spec.kind === 'uses') spec.uses = raw.uses as string;

  // with: params ($merge applied; validated and defaulted by the built-in stage's schema when a catalog is given)
  spec.with = resolveWithParams(raw, stagePath, site.src, def, scope('with'), bag, ctx.origins);

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

  // resources, cache, retries, priority: typed after interpolation
  const resources = interpolateField('resources');
  if (isRecord(resources)) {
    if (resources.cpu !== undefined) {
      if (typeof resources.cpu === 'number' && resources.cpu > 0) spec.resources = { ...spec.resources, cpu: resources.cpu, cpuDeclared: true };
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
  const priority = interpolateField('priority');
  if (priority !== undefined) {
    if (Number.isSafeInteger(priority)) spec.priority = priority as number;
    else bag.error(at(['priority']), `priority: expected an integer, got ${describeValue(priority)}`);
  }
  const timeout = interpolateField('timeout');
  if (timeout !== undefined) {
    const ms = parseDurationMs(timeout);
    if (ms !== null) spec.timeoutMs = ms;
    else bag.error(at(['timeout']), `timeout: expected a duration such as 90s, 30m, 2h or 1h30m, got ${describeValue(timeout)}`);
  }

  // outputs
  const writtenOutputs = isRecord(raw.outputs) ? raw.outputs : {};
  for (const name of outputNames) {
    const written = writtenOutputs[name];
    const decl = resolveOutput(name, written, at, scope('outputs'), ctx);
    if (!decl) continue;
    const nested = Object.entries(spec.outputs).find(([, o]) => outputPathsOverlap(o.path, decl.path));
    if (nested) {
      bag.error(at(['outputs', name]), `output "${name}" (${decl.path}) overlaps output "${nested[0]}" (${nested[1].path}) of the same stage: give each output its own path`);
      continue;
    }
    if (decl.publish) {
      const overlap = published.overlap(decl.publish);
      if (overlap !== undefined) bag.error(at(['outputs', name, 'publish']), overlappingPublishMessage(decl.publish, id, overlap));
      else published.add({ stage: id, baseId: site.id, matrix, output: name, path: decl.publish });
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
    const argv = resolveRun(raw.run as string | (string | number | boolean)[], at, vars, matrixRecords, pending, placeholders, bag);
    if (argv) spec.run = argv;
  }
  return { spec, site, def, pending, placeholders, outputNames };
}
