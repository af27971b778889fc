// Builds the fingerprint struct of a stage from the content hashes of what it reads.
import type { StageSpec } from '../config/pipeline-model.js';
import type { StageCatalog } from '../stage/stage-definition.js';
import { FINGERPRINT_VERSION, fingerprintHash, fingerprintJson, type Fingerprint } from './fingerprint.js';
import type { InputHasher } from './input-hasher.js';

export interface StageFingerprint {
  struct: Fingerprint;
  json: string;
  hash: string;
}

/** The content hash of an upstream stage's output (known, or expected while that stage has yet to run). */
export type UpstreamOutputHash = (stageId: string, output: string) => string | undefined;

export async function computeFingerprint(
  stage: StageSpec,
  catalog: StageCatalog | undefined,
  upstreamOutput: UpstreamOutputHash,
  hasher: InputHasher,
): Promise<StageFingerprint> {
  const inputs: Record<string, string[]> = {};
  const upstream: Record<string, string[]> = {};
  const pending: Promise<void>[] = [];
  for (const [name, binding] of Object.entries(stage.inputs)) {
    const files: string[] = [];
    const outs: string[] = [];
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
        const hash = upstreamOutput(ref.stage, ref.output);
        if (hash === undefined) throw new Error(`internal: output ${ref.stage}.${ref.output} needed by ${stage.id} (input ${name}[${i}]) has no content hash yet`);
        outs.push(hash);
      }
    });
    if (files.length > 0) inputs[name] = files;
    if (outs.length > 0) upstream[name] = outs;
  }
  await Promise.all(pending);

  const struct: Fingerprint = {
    v: FINGERPRINT_VERSION,
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
