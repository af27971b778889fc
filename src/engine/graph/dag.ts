// The stage graph of a pipeline: edges come from inputs bound to other stages' outputs.
import type { Pipeline, StageSpec } from '../config/pipeline-model.js';

export class PipelineGraphError extends Error {}

export interface StageGraph {
  stages: Map<string, StageSpec>;
  /** stage id -> ids of the stages it reads outputs from (deduplicated, in first-use order) */
  deps: Map<string, string[]>;
  /** stage id -> ids of the stages that read its outputs */
  dependents: Map<string, string[]>;
  /** every stage id, dependencies before dependents, ties broken by definition order */
  order: string[];
}

export function buildGraph(pipeline: Pipeline): StageGraph {
  const stages = new Map<string, StageSpec>();
  for (const s of pipeline.stages) {
    if (stages.has(s.id)) throw new PipelineGraphError(`duplicate stage id ${s.id}`);
    stages.set(s.id, s);
  }
  const deps = new Map<string, string[]>();
  const dependents = new Map<string, string[]>(pipeline.stages.map((s) => [s.id, []]));
  for (const s of pipeline.stages) {
    const ds: string[] = [];
    for (const [name, binding] of Object.entries(s.inputs)) {
      for (const ref of binding.refs) {
        if (ref.kind !== 'output') continue;
        const up = stages.get(ref.stage);
        if (!up) throw new PipelineGraphError(`stage ${s.id}: input ${name} refers to unknown stage ${ref.stage}`);
        if (!(ref.output in up.outputs)) {
          throw new PipelineGraphError(`stage ${s.id}: input ${name} refers to ${ref.stage}.${ref.output}, but ${ref.stage} declares no output ${ref.output}`);
        }
        if (ref.stage === s.id) throw new PipelineGraphError(`stage ${s.id}: input ${name} refers to its own output`);
        if (!ds.includes(ref.stage)) ds.push(ref.stage);
      }
    }
    deps.set(s.id, ds);
    for (const d of ds) dependents.get(d)!.push(s.id);
  }
  return { stages, deps, dependents, order: topologicalOrder(pipeline.stages, deps) };
}

function topologicalOrder(stages: StageSpec[], deps: Map<string, string[]>): string[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const order: string[] = [];
  const visit = (id: string, path: string[]): void => {
    const st = state.get(id);
    if (st === 'done') return;
    if (st === 'visiting') {
      const cycle = [...path.slice(path.indexOf(id)), id];
      throw new PipelineGraphError(`dependency cycle: ${cycle.join(' -> ')}`);
    }
    state.set(id, 'visiting');
    path.push(id);
    for (const d of deps.get(id) ?? []) visit(d, path);
    path.pop();
    state.set(id, 'done');
    order.push(id);
  };
  for (const s of stages) visit(s.id, []);
  return order;
}
