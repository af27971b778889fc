// Content-addressed object store: `<root>/ab/cdef…` holds the file or directory whose hash is `abcdef…`.
// Objects are moved in (rename on the same filesystem), then made read-only so later stages cannot alter
// what earlier stages produced.
//
// Hashes (sha256, hex):
//   file: sha256 of the bytes.
//   dir:  sha256 of "sonic-tree-v1\n" + canonical JSON of the sorted entries, each
//         [relativePosixPath, "f", fileHash, size] or [relativePosixPath, "d"]; sorted by path (code units).
//         File modes, times and creation order do not enter the hash.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { chmod, cp, lstat, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { StoreError } from './errors.js';

export type ObjectType = 'file' | 'dir';

export interface HashedPath {
  hash: string;
  size: number; // bytes; for a directory the sum over its files
  type: ObjectType;
}

export interface StoredObject extends HashedPath {
  objectPath: string; // absolute
}

export interface GcResult {
  removed: number;
  bytes: number;
  hashes: string[]; // what was (or, in a dry run, would be) removed
}

const HASH_RE = /^[0-9a-f]{64}$/;
const TREE_HASH_PREFIX = 'sonic-tree-v1\n';
const TEMP_PREFIX = '.tmp-';

type TreeEntry = [path: string, kind: 'f', hash: string, size: number] | [path: string, kind: 'd'];

export async function hashFile(path: string): Promise<{ hash: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  await pipeline(createReadStream(path), async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      size += chunk.length;
      h.update(chunk);
    }
  });
  return { hash: h.digest('hex'), size };
}

/** The stat-keyed hash cache of the run store (RunStore implements it). */
export interface FileHashCache {
  cachedFileHash(path: string, size: number, mtimeMs: number, ino: number): string | undefined;
  rememberFileHash(path: string, size: number, mtimeMs: number, ino: number, hash: string): void;
}

export interface HashOptions {
  /** Hash what symbolic links point to (default true); with false a link is an error (outputs). */
  followLinks?: boolean;
  /** Reuse a file's hash while its size, mtime and inode are unchanged. */
  cache?: FileHashCache;
}

async function hashFileCached(path: string, st: Stats, cache: FileHashCache | undefined): Promise<{ hash: string; size: number }> {
  if (cache === undefined) return hashFile(path);
  const known = cache.cachedFileHash(path, st.size, st.mtimeMs, st.ino);
  if (known !== undefined) return { hash: known, size: st.size };
  const fresh = await hashFile(path);
  // only trust the result when the file did not change while it was read
  const after = await stat(path);
  if (after.size === st.size && after.mtimeMs === st.mtimeMs && after.ino === st.ino) {
    cache.rememberFileHash(path, st.size, st.mtimeMs, st.ino, fresh.hash);
  }
  return fresh;
}

/** Hashes a file or directory without moving it (for workspace inputs). */
export async function hashPath(path: string, options: HashOptions = {}): Promise<HashedPath> {
  const followLinks = options.followLinks ?? true;
  const abs = resolve(path);
  const st = await statEntry(abs, followLinks);
  if (st.isFile()) return { ...(await hashFileCached(abs, st, options.cache)), type: 'file' };
  if (!st.isDirectory()) throw new StoreError(`${abs}: not a regular file or directory`);
  const entries: TreeEntry[] = [];
  let size = 0;
  async function walk(dir: string, rel: string): Promise<void> {
    const names = await readdir(dir);
    for (const name of names) {
      const full = join(dir, name);
      const relPath = rel === '' ? name : `${rel}/${name}`;
      const s = await statEntry(full, followLinks);
      if (s.isDirectory()) {
        entries.push([relPath, 'd']);
        await walk(full, relPath);
      } else if (s.isFile()) {
        const f = await hashFileCached(full, s, options.cache);
        entries.push([relPath, 'f', f.hash, f.size]);
        size += f.size;
      } else {
        throw new StoreError(`${full}: not a regular file or directory`);
      }
    }
  }
  await walk(abs, '');
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const hash = createHash('sha256').update(TREE_HASH_PREFIX).update(JSON.stringify(entries)).digest('hex');
  return { hash, size, type: 'dir' };
}

async function statEntry(path: string, followLinks: boolean) {
  const l = await lstat(path);
  if (!l.isSymbolicLink()) return l;
  if (!followLinks) {
    throw new StoreError(`${path} is a symbolic link; outputs must contain only regular files and directories`);
  }
  return stat(path);
}

/** chmod a-w (or u+w back) over a whole tree, without following links. */
async function setWritable(path: string, writable: boolean): Promise<void> {
  const st = await lstat(path);
  if (st.isSymbolicLink()) return;
  const mode = writable ? (st.mode & 0o7777) | 0o200 : (st.mode & 0o7777) & ~0o222;
  if (st.isDirectory()) {
    if (writable) await chmod(path, mode);
    for (const name of await readdir(path)) await setWritable(join(path, name), writable);
    if (!writable) await chmod(path, mode);
  } else {
    await chmod(path, mode);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** Deletes a tree even when it was made read-only. */
export async function removeTree(path: string): Promise<void> {
  if (!(await exists(path))) return;
  await setWritable(path, true);
  await rm(path, { recursive: true, force: true });
}

export class ObjectStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  pathOf(hash: string): string {
    if (!HASH_RE.test(hash)) throw new StoreError(`not an object hash: ${JSON.stringify(hash)}`);
    return join(this.root, hash.slice(0, 2), hash.slice(2));
  }

  async has(hash: string): Promise<boolean> {
    return exists(this.pathOf(hash));
  }

  /**
   * Hashes `path` and moves it into the store. When the object already exists the source is deleted
   * instead. Symbolic links inside are refused.
   */
  async ingest(path: string): Promise<StoredObject & { created: boolean }> {
    const source = resolve(path);
    const hashed = await hashPath(source, { followLinks: false });
    const objectPath = this.pathOf(hashed.hash);
    if (await exists(objectPath)) {
      await removeTree(source);
      return { ...hashed, objectPath, created: false };
    }
    await mkdir(join(this.root, hashed.hash.slice(0, 2)), { recursive: true });
    try {
      await rename(source, objectPath);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EXDEV') {
        await this.copyIn(source, objectPath);
      } else if ((code === 'ENOTEMPTY' || code === 'EEXIST') && (await exists(objectPath))) {
        // another process stored the same object meanwhile
        await removeTree(source);
        return { ...hashed, objectPath, created: false };
      } else {
        throw e;
      }
    }
    await setWritable(objectPath, false);
    return { ...hashed, objectPath, created: true };
  }

  /** Cross-filesystem ingest: copy next to the destination, then rename into place atomically. */
  private async copyIn(source: string, objectPath: string): Promise<void> {
    const temp = join(this.root, `${TEMP_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      await cp(source, temp, { recursive: true, errorOnExist: true, force: false, verbatimSymlinks: true });
      try {
        await rename(temp, objectPath);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (!((code === 'ENOTEMPTY' || code === 'EEXIST') && (await exists(objectPath)))) throw e;
      }
      await removeTree(source);
    } finally {
      await removeTree(temp);
    }
  }

  /** Every stored hash (skips temp entries). */
  async list(): Promise<string[]> {
    if (!(await exists(this.root))) return [];
    const out: string[] = [];
    for (const prefix of (await readdir(this.root)).sort()) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      for (const rest of (await readdir(join(this.root, prefix))).sort()) {
        const hash = prefix + rest;
        if (HASH_RE.test(hash)) out.push(hash);
      }
    }
    return out;
  }

  /** Removes every object whose hash is not in `referenced`. */
  async gc(referenced: Set<string>, options: { dryRun?: boolean } = {}): Promise<GcResult> {
    const result: GcResult = { removed: 0, bytes: 0, hashes: [] };
    for (const hash of await this.list()) {
      if (referenced.has(hash)) continue;
      const path = this.pathOf(hash);
      result.bytes += await treeSize(path);
      result.removed += 1;
      result.hashes.push(hash);
      if (!options.dryRun) await removeTree(path);
    }
    if (!options.dryRun) await this.removeEmptyPrefixDirs();
    return result;
  }

  /** Temp directories left by interrupted cross-filesystem ingests, older than `olderThanMs`. */
  async staleTemps(olderThanMs: number): Promise<string[]> {
    if (!(await exists(this.root))) return [];
    const now = Date.now();
    const out: string[] = [];
    for (const name of await readdir(this.root)) {
      if (!name.startsWith(TEMP_PREFIX)) continue;
      const full = join(this.root, name);
      if (now - (await lstat(full)).mtimeMs >= olderThanMs) out.push(full);
    }
    return out;
  }

  private async removeEmptyPrefixDirs(): Promise<void> {
    for (const prefix of await readdir(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      const dir = join(this.root, prefix);
      if ((await readdir(dir)).length === 0) await rm(dir, { recursive: true, force: true });
    }
  }
}

/** Total bytes of the regular files under `path` (the file's size when it is a file). */
export async function treeSize(path: string): Promise<number> {
  const st = await lstat(path);
  if (!st.isDirectory()) return st.isFile() ? st.size : 0;
  let total = 0;
  for (const name of await readdir(path)) total += await treeSize(join(path, name));
  return total;
}
