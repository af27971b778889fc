// Publishing: copies a committed output from the object store to its `publish:` workspace path, atomically
// (a temp copy next to the destination, then rename). Skipped when the destination already has the content.
import { chmod, cp, lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { hashPath } from '../store/object-store.js';
import { displayPath } from '../config/diagnostics.js';
import type { PlannedStage } from '../graph/plan.js';

async function makeWritable(path: string): Promise<void> {
  const st = await lstat(path);
  if (st.isDirectory()) {
    await chmod(path, 0o755);
    for (const name of await readdir(path)) await makeWritable(join(path, name));
  } else if (st.isFile()) {
    await chmod(path, 0o644);
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

/** What publishing did: nothing (already identical), a new copy, or replaced a copy that had been changed. */
export type PublishResult = 'unchanged' | 'created' | 'replaced';

export async function publishOutput(objectPath: string, hash: string, dest: string): Promise<PublishResult> {
  const existed = await exists(dest);
  if (existed) {
    try {
      if ((await hashPath(dest)).hash === hash) return 'unchanged';
    } catch {
      // unreadable destination: replace it
    }
  }
  await mkdir(dirname(dest), { recursive: true });
  const tag = `${process.pid}-${Date.now()}`;
  const tmp = join(dirname(dest), `.${basename(dest)}.sonic-tmp-${tag}`);
  await cp(objectPath, tmp, { recursive: true });
  await makeWritable(tmp);
  const st = await lstat(tmp);
  if (st.isDirectory() && (await exists(dest))) {
    const old = join(dirname(dest), `.${basename(dest)}.sonic-old-${tag}`);
    await rename(dest, old);
    await rename(tmp, dest);
    await rm(old, { recursive: true, force: true });
  } else {
    if (await exists(dest)) {
      const dst = await lstat(dest);
      if (dst.isDirectory()) await rm(dest, { recursive: true, force: true });
    }
    await rename(tmp, dest);
  }
  return existed ? 'replaced' : 'created';
}

/**
 * Publishes every output of a stage that declares `publish:`. A cached stage whose published copy had been
 * changed by hand gets it back, and `notice` says so.
 */
export async function publishStageOutputs(
  p: PlannedStage,
  artifacts: readonly { name: string; objectPath: string; hash: string }[],
  notice: (message: string) => void,
): Promise<void> {
  for (const [name, decl] of Object.entries(p.stage.outputs)) {
    if (!decl.publish) continue;
    const a = artifacts.find((x) => x.name === name);
    if (!a) continue;
    const done = await publishOutput(a.objectPath, a.hash, decl.publish);
    if (done === 'replaced' && p.decision === 'cached') notice(`sonic: restored ${displayPath(decl.publish)} from the recorded output ${name} of stage ${p.stage.id} (the published copy had been changed)`);
  }
}
