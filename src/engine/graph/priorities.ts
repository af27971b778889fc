// The order in which ready stages take free slots. A stage's `priority:` is raised to the highest priority
// of any stage that depends on it, directly or through others, so marking the stage at the end of a long
// chain (e.g. a model that takes most of a run) starts the whole chain leading to it first, as Snakemake's
// --prioritize does. Among equal priorities the definition order decides.

export interface PrioritizedStage {
  readonly stage: { readonly id: string; readonly priority?: number };
  readonly deps: readonly string[];
}

/** Effective priority per stage id; `plan` lists dependencies before their dependents. */
export function effectivePriorities(plan: readonly PrioritizedStage[]): Map<string, number> {
  const raised = new Map<string, number>();
  const out = new Map<string, number>();
  for (let i = plan.length - 1; i >= 0; i--) {
    const p = plan[i]!;
    const own = p.stage.priority ?? 0;
    const fromDependents = raised.get(p.stage.id);
    const priority = fromDependents === undefined ? own : Math.max(own, fromDependents);
    out.set(p.stage.id, priority);
    for (const d of p.deps) raised.set(d, Math.max(raised.get(d) ?? -Infinity, priority));
  }
  return out;
}
