// The cache key of a stage: a documented, versioned struct hashed as canonical JSON.
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { Params } from '../config/pipeline-model.js';

export const FINGERPRINT_VERSION = 2;

/**
 * The fingerprint of a stage (format version 2). A stage is rerun exactly when the sha256 of this
 * struct's canonical JSON (keys sorted, no whitespace) differs from that of its last successful run.
 *
 * Included:
 * - `v`: the format version. Bumping it invalidates every cache entry, on purpose (v1 -> v2: upstream
 *   outputs enter as content hashes instead of the producing stage's id and fingerprint).
 * - `kind`: `uses` (a built-in stage) or `run` (a command).
 * - `uses` and `stageVersion`: the built-in stage name and the version its definition declares in the
 *   catalog. Stage authors bump `version` when behaviour changes; that is the "code version" of a stage.
 * - `argv`: for `run` stages, the argv template with run-time placeholders still unresolved
 *   (`${{ inputs.x }}`, `${{ outputs.y }}`), so workspace and object-store paths never enter the key.
 * - `outputs`: declared output paths, relative to the stage's fresh output directory.
 * - `params`: the resolved `with:` values (after vars, matrix and --set).
 * - `inputs`: for each input name, the content hashes (sha256) of the workspace files and directories it
 *   binds, in declaration order. Paths are not included: moving an unchanged file keeps the cache.
 * - `upstream`: for each input name, the content hashes of the other stages' outputs it binds, in binding
 *   order. Neither the producing stage's id nor its fingerprint is included, so renaming an upstream stage,
 *   or rerunning it with byte-identical outputs, leaves this stage cached (early cutoff). The price: a stage
 *   downstream of one that runs gets its final fingerprint only once that stage has finished.
 * - `env`: extra environment variables the pipeline sets for the stage.
 *
 * Not included, on purpose: stage ids (its own and its upstreams'), resources (cpu, memory, GPU count),
 * assigned GPU ids, retries, timeout, `publish:` paths, absolute output or run directories, timestamps,
 * and the host.
 *
 * Not tracked: files a command reads without declaring them. A `run` stage's script is only tracked when it
 * is declared as an input (`inputs: {script: train.py}` and `run: [python, "${{ inputs.script }}"]`); paths
 * that merely appear inside argv are not hashed.
 */
export interface Fingerprint {
  v: typeof FINGERPRINT_VERSION;
  kind: 'uses' | 'run';
  uses?: string;
  stageVersion?: string;
  argv?: string[];
  outputs: Record<string, string>;
  params: Params;
  inputs: Record<string, string[]>;
  upstream: Record<string, string[]>;
  env: Record<string, string>;
}

export function fingerprintJson(fp: Fingerprint): string {
  return canonicalJson(fp);
}

export function fingerprintHash(fp: Fingerprint): string {
  return createHash('sha256').update(fingerprintJson(fp)).digest('hex');
}
