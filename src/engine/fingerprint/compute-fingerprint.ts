// Builds the fingerprint struct of every planned stage, in topological order so upstream fingerprints exist.
import type { StageSpec } from '../config/pipeline-model.js';
import type { StageCatalog } from '../stage/stage-definition.js';
import { fingerprintHash, fingerprintJson, type Fingerprint, type UpstreamEntry } from './fingerprint.js';
import type { InputHasher } from './input-hasher.js';

export interface StageFingerprint {
  struct: Fingerprint;
  json: string;
  hash: string;
}

export async function computeFingerprint(
  stage: StageSpec,
  catalog: StageCatalog | undefined,
  upstreamHashes: ReadonlyMap<string, string>,
  hasher: InputHasher,
): Promise<StageFingerprint> {
  const inputs: Record<string, string[]> = {};
  const upstream: Record<string, UpstreamEntry[]> = {};
  const pending: Promise<void>[] = [];
  for (const [name, binding] of Object.entries(stage.inputs)) {
    const files: string[] = [];
    const outs: UpstreamEntry[] = [];
    binding.refs.forEach((ref, i) => {
      if (ref.kind === 'file') {
        files.push('');
        const slot = files.length - 1;
        pending.push(
          hasher.hash(ref.path).then((h) => {
            files[slot] = h;
          }),
        );
      } else {
        const fp = upstreamHashes.get(ref.stage);
        if (fp === undefined) throw new Error(`internal: fingerprint of ${ref.stage} needed by ${stage.id} (input ${name}[${i}]) not computed yet`);
        outs.push({ stage: ref.stage, output: ref.output, fingerprint: fp });
      }
    });
    if (files.length > 0) inputs[name] = files;
    if (outs.length > 0) upstream[name] = outs;
  }
  await Promise.all(pending);

  const struct: Fingerprint = {
    v: 1,
    kind: stage.kind,
    outputs: Object.fromEntries(Object.entries(stage.outputs).map(([k, o]) => [k, o.path])),
    params: stage.with,
    inputs,
    upstream,
    env: stage.env,
  };
  if (stage.kind === 'uses') {
    struct.uses = stage.uses;
    const def = stage.uses !== undefined ? catalog?.get(stage.uses) : undefined;
    if (def) struct.stageVersion = def.version;
  } else {
    struct.argv = stage.run ?? [];
  }
  return { struct, json: fingerprintJson(struct), hash: fingerprintHash(struct) };
}
