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
}

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
  return { graph, stages: planned };
}

function decide(
  stage: StageSpec,
  fingerprint: StageFingerprint,
  forced: boolean,
  store: PlanStore,
): Omit<PlannedStage, 'deps'> {
  const base = { stage, fingerprint };
  if (forced) return { ...base, decision: 'run', reasonKind: 'forced', reason: 'forced (--force)' };
  if (!stage.cache) return { ...base, decision: 'run', reasonKind: 'cache-disabled', reason: 'cache disabled (cache: false)' };
  const hit = store.findSucceededByFingerprint(fingerprint.hash);
  if (hit) {
    const artifacts = store.artifactsOf(hit.id);
    const missing = artifacts.filter((a) => !existsSync(a.objectPath)).map((a) => a.name);
    const undeclared = Object.keys(stage.outputs).filter((o) => !artifacts.some((a) => a.name === o));
    if (missing.length === 0 && undeclared.length === 0) {
      return { ...base, decision: 'cached', reasonKind: 'cached', reason: `cached (stage run ${hit.id} of run ${hit.runId})`, reusedFrom: hit, reusedArtifacts: artifacts };
    }
    const names = [...missing, ...undeclared].join(', ');
    return { ...base, decision: 'run', reasonKind: 'outputs-missing', reason: `cached outputs missing from the object store: ${names}` };
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
