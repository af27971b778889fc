// The SonicToy manifest: one CSV, header id,domain,label,caption,audio,image,split,intensity,
// media paths relative to the manifest's directory.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { CsvError, parseCsv } from '../tabular/csv.js';
import { isSonicToyDomain, sonicToyClasses } from './classes.js';
import type { SonicToyDomain } from './toy-class.js';

export const MANIFEST_COLUMNS = ['id', 'domain', 'label', 'caption', 'audio', 'image', 'split', 'intensity'] as const;
export const SPLITS = ['train', 'val', 'test'] as const;
export type Split = (typeof SPLITS)[number];

export interface ManifestRow {
  id: string;
  domain: SonicToyDomain;
  label: string;
  caption: string;
  /** Relative to the manifest's directory. */
  audio: string;
  image: string;
  split: Split;
  intensity: number;
}

export interface ResolvedManifestRow extends ManifestRow {
  /** Absolute paths of the media files. */
  audioPath: string;
  imagePath: string;
}

export class ManifestError extends Error {}

export function manifestCsv(rows: readonly ManifestRow[]): string {
  return stringify(
    rows.map((r) => [r.id, r.domain, r.label, r.caption, r.audio, r.image, r.split, r.intensity.toString()]),
    { header: true, columns: [...MANIFEST_COLUMNS] },
  );
}

/** Read and validate a manifest; errors name the file, line and field. */
export function readManifest(path: string): ResolvedManifestRow[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ManifestError(`${path}: cannot read manifest (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let records;
  try {
    records = parseCsv(text, path);
  } catch (e) {
    if (e instanceof CsvError) throw new ManifestError(e.message);
    throw e;
  }
  if (records.length === 0) throw new ManifestError(`${path}: empty manifest (expected a header line ${MANIFEST_COLUMNS.join(',')})`);
  const header = records[0]!.fields.map((h) => h.trim());
  const index = new Map<string, number>();
  for (const col of MANIFEST_COLUMNS) {
    const at = header.indexOf(col);
    if (at < 0) throw new ManifestError(`${path}:1: header lacks column '${col}' (expected ${MANIFEST_COLUMNS.join(',')})`);
    index.set(col, at);
  }
  const root = dirname(resolve(path));
  const seen = new Map<string, number>();
  return records.slice(1).map(({ line, fields }) => {
    const where = `${path}:${line}`;
    if (fields.length !== header.length) throw new ManifestError(`${where}: expected ${header.length} fields, found ${fields.length}`);
    const get = (col: (typeof MANIFEST_COLUMNS)[number]) => fields[index.get(col)!]!;
    const nonEmpty = (col: (typeof MANIFEST_COLUMNS)[number]) => {
      const v = get(col);
      if (v.trim() === '') throw new ManifestError(`${where}: field '${col}' is empty`);
      return v;
    };
    const id = nonEmpty('id');
    const previous = seen.get(id);
    if (previous !== undefined) throw new ManifestError(`${where}: field 'id' repeats '${id}' (first on line ${previous})`);
    seen.set(id, line);
    const domain = nonEmpty('domain');
    if (!isSonicToyDomain(domain)) throw new ManifestError(`${where}: field 'domain' is '${domain}', expected landscape, hits or voices`);
    const label = nonEmpty('label');
    const labels = sonicToyClasses(domain);
    if (!labels.includes(label)) throw new ManifestError(`${where}: field 'label' is '${label}', not a ${domain} class (${labels.join(', ')})`);
    const split = nonEmpty('split');
    if (!(SPLITS as readonly string[]).includes(split)) throw new ManifestError(`${where}: field 'split' is '${split}', expected train, val or test`);
    const intensityText = nonEmpty('intensity');
    const intensity = Number(intensityText);
    if (!Number.isFinite(intensity) || intensity < 0 || intensity > 1) throw new ManifestError(`${where}: field 'intensity' is '${intensityText}', expected a number in [0, 1]`);
    const audio = nonEmpty('audio');
    const image = nonEmpty('image');
    return {
      id, domain, label, caption: get('caption'), audio, image, split: split as Split, intensity,
      audioPath: isAbsolute(audio) ? audio : resolve(root, audio),
      imagePath: isAbsolute(image) ? image : resolve(root, image),
    };
  });
}
