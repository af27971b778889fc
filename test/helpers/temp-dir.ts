// Temporary directories for tests that are removed when the test file finishes, whether its tests pass or fail.
import { after } from 'node:test';
import { chmodSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made = new Set<string>();

// Registered once, when a test file first imports this module, so the hook belongs to the file's root test.
// Registering per directory would not do: an `after` called from inside a `before` hook runs as soon as that
// hook returns, which would delete a workspace before the tests that use it.
after(removeTempDirs);
// The file's own `after` hooks run later than this one (hooks run in registration order) and may stop child
// processes that were still writing into a temp dir; sweep once more when the process exits.
process.once('exit', () => {
  try {
    removeTempDirs();
  } catch (err) {
    process.stderr.write(`temp-dir: could not remove a test temp dir at exit: ${(err as Error).message}\n`);
  }
});

/** mkdtemp `<base>/<prefix>XXXXXX` (base defaults to os.tmpdir()); removed after the calling test file ends. */
export function tempDir(prefix: string, base: string = tmpdir()): string {
  const dir = mkdtempSync(join(base, prefix));
  made.add(dir);
  return dir;
}

/** Removes a directory from tempDir now (a test that wants it gone before the file ends). */
export function removeTempDir(dir: string): void {
  removeTree(dir);
  made.delete(dir);
}

/** Removes every directory tempDir has made in this process and not removed yet (idempotent). */
export function removeTempDirs(): void {
  for (const dir of made) removeTree(dir);
}

function removeTree(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch (err) {
    // The object store makes its entries read-only; without root, their parents need write permission back.
    if ((err as NodeJS.ErrnoException).code !== 'EACCES' && (err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
    makeWritable(dir);
    rmSync(dir, { recursive: true, force: true });
  }
}

function makeWritable(dir: string): void {
  const st = lstatSync(dir, { throwIfNoEntry: false });
  if (!st?.isDirectory()) return;
  chmodSync(dir, st.mode | 0o700);
  for (const name of readdirSync(dir)) makeWritable(join(dir, name));
}
