// Sorted recursive file listing, paths relative to the root with '/' separators.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { VIDEO_EXTENSIONS } from './layouts.js';

export function listFiles(root: string, keep: (relativePath: string) => boolean = () => true): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith('.')) continue;
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      const full = join(dir, entry.name);
      const isDir = entry.isDirectory() || (entry.isSymbolicLink() && statSync(full, { throwIfNoEntry: false })?.isDirectory());
      if (isDir) walk(full, rel);
      else if (keep(rel)) out.push(rel);
    }
  };
  walk(root, '');
  return out;
}

export function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** A file name part safe for ids and output names: other characters become '-'. */
export function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-');
}

export function isVideoFile(relativePath: string): boolean {
  return (VIDEO_EXTENSIONS as readonly string[]).includes(relativePath.slice(relativePath.lastIndexOf('.')).toLowerCase());
}
