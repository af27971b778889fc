// Content hashes of workspace inputs. Files go through the run store's stat cache (path, size, mtime, inode)
// so an unchanged file is never read twice; directories are hashed by the object store's tree hash.
import { stat } from 'node:fs/promises';

export interface InputHasher {
  hash(path: string): Promise<string>;
}

export interface StatCache {
  cachedFileHash(path: string, size: number, mtimeMs: number, ino: number): string | undefined;
  rememberFileHash(path: string, size: number, mtimeMs: number, ino: number, hash: string): void;
}

export type PathHash = (path: string) => string | Promise<string> | { hash: string } | Promise<{ hash: string }>;

export class MissingInputError extends Error {
  constructor(readonly path: string) {
    super(`input file does not exist: ${path}`);
  }
}

export function statCachedHasher(cache: StatCache, hashPath: PathHash): InputHasher {
  const memo = new Map<string, Promise<string>>();
  const compute = async (path: string): Promise<string> => {
    let st;
    try {
      st = await stat(path);
    } catch {
      throw new MissingInputError(path);
    }
    if (st.isFile()) {
      const hit = cache.cachedFileHash(path, st.size, st.mtimeMs, st.ino);
      if (hit !== undefined) return hit;
    }
    const r = await hashPath(path);
    const h = typeof r === 'string' ? r : r.hash;
    if (st.isFile()) cache.rememberFileHash(path, st.size, st.mtimeMs, st.ino, h);
    return h;
  };
  return {
    hash(path) {
      let p = memo.get(path);
      if (!p) {
        p = compute(path);
        memo.set(path, p);
      }
      return p;
    },
  };
}
