// Target selection: `sonic run P t1 t2` runs the targets and all their ancestors. A target may be an
// expanded id (`train[data=hits]`) or a base id (`train`), which selects every matrix instance.
import type { StageGraph } from './dag.js';
import { closeNames } from '../config/suggest.js';

export class UnknownTargetError extends Error {}

/** Expands target names (expanded or base ids) to expanded stage ids; throws on names matching nothing. */
export function resolveStageNames(graph: StageGraph, names: string[], what = 'target'): string[] {
  const out: string[] = [];
  for (const name of names) {
    const matched = graph.stages.has(name) ? [name] : [...graph.stages.values()].filter((s) => s.baseId === name).map((s) => s.id);
    if (matched.length === 0) {
      const bases = [...new Set([...graph.stages.values()].map((s) => s.baseId))];
      const close = closeNames(name, [...bases, ...graph.stages.keys()]);
      const hint = close.length > 0 ? `did you mean ${close.map((c) => `"${c}"`).join(' or ')}? ` : '';
      throw new UnknownTargetError(`unknown ${what} "${name}" (${hint}stages: ${bases.join(', ')})`);
    }
    for (const id of matched) if (!out.includes(id)) out.push(id);
  }
  return out;
}

/** The stages to consider, in topological order: the targets plus their ancestors (all stages when none). */
export function selectStages(graph: StageGraph, targets: string[]): string[] {
  if (targets.length === 0) return [...graph.order];
  const wanted = new Set<string>();
  const stack = resolveStageNames(graph, targets);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (wanted.has(id)) continue;
    wanted.add(id);
    stack.push(...(graph.deps.get(id) ?? []));
  }
  return graph.order.filter((id) => wanted.has(id));
}
