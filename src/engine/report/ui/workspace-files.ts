// Files the UI may hand out (logs, artifacts), and only those: paths come from the run store and from URL
// segments, and both are checked to stay inside the workspace after symlinks are resolved.
import { closeSync, existsSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

/** URL path segments as a relative path, or null when one is empty, `.`, `..`, or holds a separator or NUL. */
export function safeSegments(segments: readonly string[]): string[] | null {
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..' || /[/\\\0]/.test(s)) return null;
  }
  return [...segments];
}

/** True when `path` (resolved through symlinks) exists and lies inside `root` (also resolved). */
export function isInside(root: string, path: string): boolean {
  if (!existsSync(path) || !existsSync(root)) return false;
  const rel = relative(realpathSync(root), realpathSync(path));
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel));
}

/** `base` joined with checked segments, if the result stays inside both `base` and the workspace. */
export function resolveInside(workspace: string, base: string, segments: readonly string[]): string | null {
  const safe = safeSegments(segments);
  if (safe === null) return null;
  const path = safe.length === 0 ? base : join(base, ...safe);
  return isInside(workspace, path) && isInside(base, path) ? path : null;
}

const BY_EXTENSION: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.wav': 'audio/wav',
};
const TEXT_EXTENSIONS = new Set(['.txt', '.log', '.md', '.csv', '.tsv', '.yaml', '.yml', '.jsonl', '.ts', '.js', '.py', '.sh']);

function head(path: string, n = 512): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    return buf.subarray(0, readSync(fd, buf, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

/** The content type of a file: from its name's extension, else from its first bytes (objects have no extension). */
export function contentTypeOf(path: string, name: string = path): string {
  const ext = extname(name).toLowerCase();
  if (BY_EXTENSION[ext]) return BY_EXTENSION[ext]!;
  if (TEXT_EXTENSIONS.has(ext)) return 'text/plain; charset=utf-8';
  const b = head(path);
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  if (b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  if (b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WAVE') return 'audio/wav';
  const text = b.toString('utf8');
  if (/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(text)) return 'image/svg+xml';
  return b.includes(0) ? 'application/octet-stream' : 'text/plain; charset=utf-8';
}

export const isImageType = (type: string): boolean => type.startsWith('image/');

/** Width and height of a PNG from its header, or undefined for anything else. */
export function pngSize(path: string): { width: number; height: number } | undefined {
  const b = head(path, 24);
  if (b.length < 24 || b.readUInt32BE(0) !== 0x89504e47 || b.subarray(12, 16).toString('latin1') !== 'IHDR') return undefined;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

export interface DirEntry {
  rel: string; // posix path relative to the directory
  size: number;
}

/** The files under `dir`, sorted, at most `limit` (symlinks are not followed). */
export function listFiles(dir: string, limit: number): { files: DirEntry[]; truncated: boolean } {
  const files: DirEntry[] = [];
  const walk = (sub: string): boolean => {
    const entries = readdirSync(join(dir, sub), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const rel = sub === '' ? e.name : `${sub}/${e.name}`;
      if (e.isDirectory()) {
        if (!walk(rel)) return false;
      } else if (e.isFile()) {
        if (files.length >= limit) return false;
        files.push({ rel, size: statSync(join(dir, rel)).size });
      }
    }
    return true;
  };
  const complete = walk('');
  return { files, truncated: !complete };
}

/** The last `maxBytes` of a text file (from a line start when it was cut), and whether it was cut. */
export function tailText(path: string, maxBytes: number): { text: string; cut: boolean } {
  const size = statSync(path).size;
  const start = Math.max(0, size - maxBytes);
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(size - start);
    readSync(fd, buf, 0, buf.length, start);
    let text = buf.toString('utf8');
    if (start > 0) text = text.slice(text.indexOf('\n') + 1);
    return { text, cut: start > 0 };
  } finally {
    closeSync(fd);
  }
}
