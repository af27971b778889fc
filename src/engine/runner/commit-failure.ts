// When committing a stage's outputs fails (disk full, an output the store refuses), the objects this
// attempt moved into the store must not stay behind unreferenced: they are removed before the failure is
// recorded (which, on a full disk, is what frees the space the record needs).
import { removeTree, type ObjectStore } from '../store/object-store.js';
import { displayPath } from '../config/diagnostics.js';

/** Objects ingested by attempts that have not committed yet: hash -> how many attempts hold it. */
export class PendingObjects {
  private readonly held = new Map<string, number>();

  hold(hash: string): void {
    this.held.set(hash, (this.held.get(hash) ?? 0) + 1);
  }

  release(hashes: Iterable<string>): void {
    for (const h of hashes) {
      const n = (this.held.get(h) ?? 1) - 1;
      if (n <= 0) this.held.delete(h);
      else this.held.set(h, n);
    }
  }

  isHeld(hash: string): boolean {
    return this.held.has(hash);
  }
}

/**
 * Removes the objects a failed attempt created, unless a recorded artifact or another attempt still in
 * progress refers to them. Returns the bytes freed.
 */
export async function removeOrphanedObjects(
  objects: ObjectStore,
  created: { hash: string; size: number }[],
  stillNeeded: (hash: string) => boolean,
): Promise<number> {
  let freed = 0;
  for (const o of created) {
    if (stillNeeded(o.hash)) continue;
    await removeTree(objects.pathOf(o.hash));
    freed += o.size;
  }
  return freed;
}

export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL';
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** The message recorded for a failed commit; on a full disk it says where space is needed and how to get it. */
export function commitFailureMessage(err: unknown, workspace: string, outputBytes: number): string {
  const detail = err instanceof Error ? err.message : String(err);
  if (!isDiskFull(err)) return `could not store the outputs: ${detail}`;
  return (
    `disk full while storing the outputs (${mb(outputBytes)}) in ${displayPath(workspace)}: ${detail}. ` +
    `Nothing was recorded and the outputs were removed again; free at least ${mb(outputBytes)} on the filesystem holding ` +
    `${displayPath(workspace)} (\`sonic gc\` deletes stored objects no run refers to), then run again`
  );
}
