// Why a stage's fingerprint differs from its last successful run, in words a user can act on.
import { canonicalJson } from '../fingerprint/canonical-json.js';
import type { Fingerprint } from '../fingerprint/fingerprint.js';
import type { StageSpec } from '../config/pipeline-model.js';

export type ChangeKind = 'code' | 'params' | 'input' | 'upstream' | 'env' | 'format';

export interface Change {
  kind: ChangeKind;
  text: string;
}

const same = (a: unknown, b: unknown): boolean => canonicalJson(a ?? null) === canonicalJson(b ?? null);

function changedKeys(a: Record<string, unknown>, b: Record<string, unknown>, prefix = ''): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const out: string[] = [];
  for (const k of keys) {
    const va = a[k];
    const vb = b[k];
    if (same(va, vb)) continue;
    const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
    if (isObj(va) && isObj(vb)) out.push(...changedKeys(va, vb, `${prefix}${k}.`));
    else out.push(`${prefix}${k}`);
  }
  return out;
}

/**
 * The differences between the last successful fingerprint `prev` and the current one `cur`. Upstream
 * changes are named by the producing stages `stage` binds now (the fingerprint holds only content hashes).
 */
export function explainChange(prev: Fingerprint, cur: Fingerprint, stage?: Pick<StageSpec, 'inputs'>): Change[] {
  const changes: Change[] = [];
  if (prev.v !== cur.v) return [{ kind: 'format', text: `fingerprint format changed (v${prev.v} -> v${cur.v})` }];
  if (prev.kind !== cur.kind || prev.uses !== cur.uses) {
    changes.push({ kind: 'code', text: `code version changed (${prev.uses ?? 'run'} -> ${cur.uses ?? 'run'})` });
  } else if (prev.stageVersion !== cur.stageVersion) {
    changes.push({ kind: 'code', text: `code version changed (${cur.uses} ${prev.stageVersion ?? '?'} -> ${cur.stageVersion ?? '?'})` });
  } else if (!same(prev.argv, cur.argv)) {
    changes.push({ kind: 'code', text: 'code version changed (command line)' });
  }
  if (!same(prev.outputs, cur.outputs)) changes.push({ kind: 'code', text: `declared outputs changed: ${changedKeys(prev.outputs, cur.outputs).join(', ')}` });
  const params = changedKeys(prev.params, cur.params);
  if (params.length > 0) changes.push({ kind: 'params', text: `params changed: ${params.join(', ')}` });
  const inputs = changedKeys(prev.inputs, cur.inputs);
  if (inputs.length > 0) changes.push({ kind: 'input', text: `input changed: ${inputs.join(', ')}` });
  const upStages: string[] = [];
  for (const name of changedKeys(prev.upstream, cur.upstream)) {
    const producers = (stage?.inputs[name]?.refs ?? []).flatMap((r) => (r.kind === 'output' ? [r.stage] : []));
    for (const id of producers.length > 0 ? producers : [name]) if (!upStages.includes(id)) upStages.push(id);
  }
  if (upStages.length > 0) changes.push({ kind: 'upstream', text: `upstream changed: ${upStages.join(', ')}` });
  const env = changedKeys(prev.env, cur.env);
  if (env.length > 0) changes.push({ kind: 'env', text: `env changed: ${env.join(', ')}` });
  if (changes.length === 0 && !same(prev, cur)) changes.push({ kind: 'format', text: 'fingerprint changed' });
  return changes;
}
