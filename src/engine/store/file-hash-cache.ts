// Content hashes of workspace files keyed by (path, size, mtime, inode): an input whose stat is unchanged
// is not read again to compute its fingerprint.
import { resolve } from 'node:path';
import type { StoreContext } from './store-context.js';

export function cachedFileHash(ctx: StoreContext, path: string, size: number, mtimeMs: number, ino: number): string | undefined {
  const row = ctx
    .prepare('SELECT hash FROM file_hashes WHERE path = ? AND size = ? AND mtime_ms = ? AND ino = ?')
    .get(resolve(path), size, mtimeMs, ino) as { hash: string } | undefined;
  return row?.hash;
}

export function rememberFileHash(ctx: StoreContext, path: string, size: number, mtimeMs: number, ino: number, hash: string): void {
  ctx
    .prepare(
      `INSERT INTO file_hashes (path, size, mtime_ms, ino, hash, checked_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, ino = excluded.ino,
         hash = excluded.hash, checked_at = excluded.checked_at`,
    )
    .run(resolve(path), size, mtimeMs, ino, hash, new Date().toISOString());
}
