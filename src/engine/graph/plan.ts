// Planning: for every selected stage, compute its fingerprint and decide whether it runs, and why.
import { existsSync } from 'node:fs';
import type { Pipeline, StageSpec } from '../config/pipeline-model.js';
import type { StageCatalog } from '../stage/stage-definition.js';
import type { ArtifactRecord, RunStore, StageRunRecord } from '../store/store-api.js';
import { computeFingerprint, type StageFingerprint } from '../fingerprint/compute-fingerprint.js';
import type { Fingerprint } from '../fingerprint/fingerprint.js';
import type { InputHasher } from '../fingerprint/input-hasher.js';
import { buildGraph, type StageGraph } from './dag.js';
import { explainChange } from './explain.js';
import { resolveStageNames, selectStages } from './targets.js';

export type PlanReasonKind =
  | 'never-ran'
  | 'changed' // params / input / upstream / code / env: see `reason`
  | 'forced'
  | 'cache-disabled'
  | 'outputs-missing'
  | 'cached';

export interface PlannedStage {
  stage: StageSpec;
  fingerprint: StageFingerprint;
  decision: 'run' | 'cached';
  reasonKind: PlanReasonKind;
  reason: string; // e.g. "params changed: lr, steps" or "cached (stage run 12 of run 3)"
  reusedFrom?: StageRunRecord; // the succeeded stage run whose outputs a cached stage reuses
  reusedArtifacts?: ArtifactRecord[];
  deps: string[];
  /**
   * Run stages that rerun for a reason outside their fingerprint (forced, cache disabled, outputs gone):
   * the output hashes of the earlier successful run with the same fingerprint, if any. After the rerun the
   * runner compares against them to tell whether the outputs changed.
   */
  priorOutputHashes?: Record<string, string>;
  /**
   * Cached stages that read outputs of such a rerunning stage (directly or through another tentative
   * stage): they stay cached only if those outputs come out unchanged; otherwise they rerun.
   */
  tentativeOn?: string[];
}

/** Reasons to run that the fingerprint does not capture: dependents are re-checked on the actual outputs. */
export const RERUN_OUTSIDE_FINGERPRINT: readonly PlanReasonKind[] = ['forced', 'cache-disabled', 'outputs-missing'];

export interface Plan {
  graph: StageGraph;
  stages: PlannedStage[]; // topological order
}

export type PlanStore = Pick<RunStore, 'findSucceededByFingerprint' | 'lastSucceeded' | 'artifactsOf'>;

export interface PlanOptions {
  targets: string[];
  force: string[]; // expanded or base ids
  catalog?: StageCatalog;
  store: PlanStore;
  hasher: InputHasher;
}

export async function planPipeline(pipeline: Pipeline, opts: PlanOptions): Promise<Plan> {
  const graph = buildGraph(pipeline);
  const selected = selectStages(graph, opts.targets);
  const forced = new Set(resolveStageNames(graph, opts.force, '--force stage'));
  const hashes = new Map<string, string>();
  const planned: PlannedStage[] = [];
  for (const id of selected) {
    const stage = graph.stages.get(id)!;
    const fingerprint = await computeFingerprint(stage, opts.catalog, hashes, opts.hasher);
    hashes.set(id, fingerprint.hash);
    planned.push({ ...decide(stage, fingerprint, forced.has(id), opts.store), deps: graph.deps.get(id) ?? [] });
  }
  markTentative(planned);
  return { graph, stages: planned };
}

function markTentative(planned: PlannedStage[]): void {
  const byId = new Map(planned.map((p) => [p.stage.id, p]));
  for (const p of planned) {
    if (p.decision !== 'cached') continue;
    const on = p.deps.filter((d) => {
      const dep = byId.get(d);
      if (!dep) return false;
      return (dep.decision === 'run' && RERUN_OUTSIDE_FINGERPRINT.includes(dep.reasonKind)) || (dep.tentativeOn?.length ?? 0) > 0;
    });
    if (on.length > 0) {
      p.tentativeOn = on;
      p.reason = `${p.reason}, unless the outputs of ${on.join(', ')} change`;
    }
  }
}

function decide(
  stage: StageSpec,
  fingerprint: StageFingerprint,
  forced: boolean,
  store: PlanStore,
): Omit<PlannedStage, 'deps'> {
  const base = { stage, fingerprint };
  const hit = store.findSucceededByFingerprint(fingerprint.hash);
  const prior = (): { priorOutputHashes?: Record<string, string> } =>
    hit ? { priorOutputHashes: Object.fromEntries(store.artifactsOf(hit.id).map((a) => [a.name, a.hash])) } : {};
  if (forced) return { ...base, decision: 'run', reasonKind: 'forced', reason: 'forced (--force)', ...prior() };
  if (!stage.cache) return { ...base, decision: 'run', reasonKind: 'cache-disabled', reason: 'cache disabled (cache: false)', ...prior() };
  if (hit) {
    const artifacts = store.artifactsOf(hit.id);
    const missing = artifacts.filter((a) => !existsSync(a.objectPath)).map((a) => a.name);
    const undeclared = Object.keys(stage.outputs).filter((o) => !artifacts.some((a) => a.name === o));
    if (missing.length === 0 && undeclared.length === 0) {
      return { ...base, decision: 'cached', reasonKind: 'cached', reason: `cached (stage run ${hit.id} of run ${hit.runId})`, reusedFrom: hit, reusedArtifacts: artifacts };
    }
    const names = [...missing, ...undeclared].join(', ');
    return { ...base, decision: 'run', reasonKind: 'outputs-missing', reason: `cached outputs missing from the object store: ${names}`, ...prior() };
  }
  const last = store.lastSucceeded(stage.id);
  if (!last) return { ...base, decision: 'run', reasonKind: 'never-ran', reason: 'never ran' };
  let prev: Fingerprint;
  try {
    prev = JSON.parse(last.fingerprintJson) as Fingerprint;
  } catch {
    return { ...base, decision: 'run', reasonKind: 'changed', reason: 'fingerprint changed (previous record unreadable)' };
  }
  const changes = explainChange(prev, fingerprint.struct);
  return { ...base, decision: 'run', reasonKind: 'changed', reason: changes.map((c) => c.text).join('; ') || 'fingerprint changed' };
}
