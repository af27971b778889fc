// Planning: for every selected stage, compute its fingerprint and decide whether it runs, and why.
import { existsSync } from 'node:fs';
import { displayPath } from '../config/diagnostics.js';
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
  /** Final for a stage whose upstreams are all cached; provisional (expected upstream outputs) while `tentativeOn` is set. */
  fingerprint: StageFingerprint;
  decision: 'run' | 'cached';
  reasonKind: PlanReasonKind;
  reason: string; // e.g. "params changed: lr, steps" or "cached (stage run 12 of run 3)"
  reusedFrom?: StageRunRecord; // the succeeded stage run whose outputs a cached stage reuses
  reusedArtifacts?: ArtifactRecord[];
  deps: string[];
  /**
   * Direct upstream stages that run (or may run) first. The stage's fingerprint reads their outputs'
   * content hashes, so it is decided again once they finish: a stage planned `cached` here "runs if the
   * outputs of …change" (early cutoff keeps it cached when they come out byte-identical).
   */
  tentativeOn?: string[];
  /** Published copies of a cached stage's outputs that differ from the recorded output (edited by hand). */
  publishDrift?: string[];
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

const hashesOf = (artifacts: readonly ArtifactRecord[]): Record<string, string> => Object.fromEntries(artifacts.map((a) => [a.name, a.hash]));

export async function planPipeline(pipeline: Pipeline, opts: PlanOptions): Promise<Plan> {
  const graph = buildGraph(pipeline);
  const selected = selectStages(graph, opts.targets);
  const forced = new Set(resolveStageNames(graph, opts.force, '--force stage'));
  const settled = new Map<string, Record<string, string>>(); // cached stages: their outputs' content hashes
  const expected = new Map<string, Record<string, string>>(); // stages that run first: the outputs they last produced
  const planned: PlannedStage[] = [];
  for (const id of selected) {
    const stage = graph.stages.get(id)!;
    const deps = graph.deps.get(id) ?? [];
    const waitsOn = deps.filter((d) => !settled.has(d));
    const upstream = (s: string, o: string) => settled.get(s)?.[o] ?? expected.get(s)?.[o] ?? `not-yet-produced:${s}.${o}`;
    const fingerprint = await computeFingerprint(stage, opts.catalog, upstream, opts.hasher);
    const p: PlannedStage = { ...decideStage(stage, fingerprint, forced.has(id), opts.store, waitsOn), deps };
    if (p.decision === 'cached') {
      const drift = await publishDrift(p, opts.hasher);
      if (drift.length > 0) p.publishDrift = drift;
    }
    planned.push(p);
    if (p.decision === 'cached' && waitsOn.length === 0) settled.set(id, hashesOf(p.reusedArtifacts ?? []));
    else expected.set(id, expectedOutputs(p, opts.store));
  }
  return { graph, stages: planned };
}

/** Published copies of a cached stage's outputs that are missing or differ from the recorded output. */
async function publishDrift(p: PlannedStage, hasher: InputHasher): Promise<string[]> {
  const drift: string[] = [];
  for (const [name, decl] of Object.entries(p.stage.outputs)) {
    const recorded = p.reusedArtifacts?.find((a) => a.name === name);
    if (!decl.publish || !recorded) continue;
    const now = await hasher.hash(decl.publish).catch(() => undefined);
    if (now === undefined) drift.push(`${displayPath(decl.publish)} (missing)`);
    else if (now !== recorded.hash) drift.push(`${displayPath(decl.publish)} (changed since it was published)`);
  }
  return drift;
}

/** What a stage that runs first will most likely produce: what it produced last. */
function expectedOutputs(p: PlannedStage, store: PlanStore): Record<string, string> {
  if (p.reusedArtifacts) return hashesOf(p.reusedArtifacts);
  const prior = store.findSucceededByFingerprint(p.fingerprint.hash) ?? store.lastSucceeded(p.stage.id);
  return prior ? hashesOf(store.artifactsOf(prior.id)) : {};
}

/**
 * Whether a stage with this fingerprint runs, and why. `waitsOn`: upstream stages that run first (the
 * fingerprint is then provisional and the decision is taken again once they finish; see PlannedStage).
 */
export function decideStage(
  stage: StageSpec,
  fingerprint: StageFingerprint,
  forced: boolean,
  store: PlanStore,
  waitsOn: string[] = [],
): Omit<PlannedStage, 'deps'> {
  const d = decide(stage, fingerprint, forced, store);
  if (waitsOn.length === 0) return d;
  const reused = d.reusedFrom ? `else cached: stage run ${d.reusedFrom.id} of run ${d.reusedFrom.runId}` : '';
  const reason = d.decision === 'cached' ? `runs if the outputs of ${waitsOn.join(', ')} change (${reused})` : d.reason;
  return { ...d, reason, tentativeOn: waitsOn };
}

function decide(stage: StageSpec, fingerprint: StageFingerprint, forced: boolean, store: PlanStore): Omit<PlannedStage, 'deps'> {
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
  const changes = explainChange(prev, fingerprint.struct, stage);
  return { ...base, decision: 'run', reasonKind: 'changed', reason: changes.map((c) => c.text).join('; ') || 'fingerprint changed' };
}
