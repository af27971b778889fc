// Binding stage references to expanded instances (one-to-one, selection, fan-in), and cycle detection.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { findCycles } from './cycles.js';
import { displayPath, type DiagnosticBag } from './diagnostics.js';
import { exprSource } from './interpolation.js';
import { matrixLabel } from './matrix.js';
import type { InputBinding, InputRef, OutputRef, SourcePos } from './pipeline-model.js';
import { IMPLICIT_INPUT, type BaseStage, type Instance, type ResolveContext, type StageExpr } from './resolve-types.js';
import { suggestion } from './suggest.js';
import { overlappingInputMessage, type PublishedPaths } from './published-paths.js';

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

export function bindInputs(inst: Instance, bases: Map<string, BaseStage>, ctx: ResolveContext, published: PublishedPaths): void {
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
        const overlap = published.overlap(abs);
        if (overlap?.relation === 'same' && overlap.publisher.stage !== inst.spec.id) {
          // a path another stage publishes: bound to that stage's output, which gives the dependency edge
          refs.push({ kind: 'output', stage: overlap.publisher.stage, output: overlap.publisher.output });
          continue;
        }
        if (overlap !== undefined) {
          bag.error(item.pos, overlap.publisher.stage === inst.spec.id ? `input "${name}" reads ${displayPath(abs)}, which this stage publishes itself` : overlappingInputMessage(name, abs, overlap));
          ok = false;
          continue;
        }
        if (!existsSync(abs)) {
          const declared = inst.def?.inputs[name];
          // A built-in stage's input description says what the file is and where it comes from.
          bag.error(item.pos, `input file not found: ${displayPath(abs)}${declared ? ` (input "${name}" of ${inst.def!.name}: ${declared.description})` : ''}`);
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
    // declared names, also those whose declaration had errors (reported already): no second error here
    const known = ph.kind === 'inputs' ? [...inst.pending.keys()] : inst.outputNames;
    if (!known.includes(ph.name)) {
      bag.error(ph.pos, `"\${{ ${ph.kind}.${ph.name} }}": stage "${inst.site.id}" has no ${ph.kind === 'inputs' ? 'input' : 'output'} "${ph.name}"${suggestion(ph.name, known.filter((n) => !IMPLICIT_INPUT.test(n)), `its ${ph.kind} are`)}`);
    } else if (ph.kind === 'inputs' && names.includes(ph.name) && inst.spec.inputs[ph.name]!.list && !ph.whole) {
      bag.error(ph.pos, `list input "${ph.name}" must be a whole run argument (it expands to one argument per path)`);
    }
  }
}

export function reportCycles(all: Instance[], bag: DiagnosticBag): void {
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
