// Writing a manifest: csv-stringify quoting (fields with commas, quotes or newlines are quoted), the columns in
// the order given, and an atomic replace so a reader never sees half a manifest.
import { isAbsolute, relative } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomicSync } from '../media/atomic-write.js';

export type ManifestCell = string | number;

export function manifestText(columns: readonly string[], rows: readonly (readonly ManifestCell[])[]): string {
  return stringify(
    rows.map((row) => row.map((cell) => (typeof cell === 'number' ? cell.toString() : cell))),
    { header: true, columns: [...columns] },
  );
}

export function writeManifestFile(path: string, columns: readonly string[], rows: readonly (readonly ManifestCell[])[]): void {
  writeFileAtomicSync(path, Buffer.from(manifestText(columns, rows), 'utf8'));
}

/**
 * How a manifest in `dir` names a media file: relative (with '/') when the file lies inside `dir`, else the
 * absolute path, since media elsewhere (another stage's immutable output) do not move with the manifest.
 */
export function manifestMediaPath(dir: string, absolutePath: string): string {
  const r = relative(dir, absolutePath);
  return r.startsWith('..') || isAbsolute(r) ? absolutePath : r.split('\\').join('/');
}
