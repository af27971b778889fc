// Inputs are hashed when a stage is planned; a file edited while the stage runs would otherwise be cached
// under the old content's key. After the stage, its workspace inputs are checked again (stat first, the
// content hash only where the stat changed) against the hashes in its fingerprint.
import type { StageSpec } from '../config/pipeline-model.js';
import type { Fingerprint } from '../fingerprint/fingerprint.js';
import type { InputHasher } from '../fingerprint/input-hasher.js';

/** The workspace input paths whose content is not what the fingerprint recorded (deleted ones included). */
export async function inputsChangedDuringRun(stage: StageSpec, fingerprint: Fingerprint, hasher: InputHasher): Promise<string[]> {
  const changed: string[] = [];
  for (const [name, binding] of Object.entries(stage.inputs)) {
    const recorded = fingerprint.inputs[name] ?? [];
    const files = binding.refs.flatMap((r) => (r.kind === 'file' ? [r.path] : []));
    for (const [i, path] of files.entries()) {
      const now = await hasher.hash(path).catch(() => undefined);
      if (now !== recorded[i]) changed.push(path);
    }
  }
  return changed;
}

export function inputsChangedMessage(paths: string[]): string {
  const list = paths.join(', ');
  return (
    `input${paths.length > 1 ? 's' : ''} ${list} changed while the stage ran, so its result was not cached ` +
    `(it may have read either version); run again once ${paths.length > 1 ? 'they stay' : 'it stays'} unchanged`
  );
}
