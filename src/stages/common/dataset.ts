// The `dataset` directory every method stage reads: manifest.csv (id,domain,label,caption,audio,image,split,
// intensity, plus any extra columns) with media paths relative to the manifest. Unlike the SonicToy reader,
// domains and labels are free strings, so the same stages serve SonicToy and the paper's ingested data.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { parseCsv } from '../../data/tabular/csv.js';

export const MANIFEST_FILE = 'manifest.csv';
const COLUMNS = ['id', 'domain', 'label', 'caption', 'audio', 'image', 'split', 'intensity'] as const;
export type DatasetSplit = 'train' | 'val' | 'test';

export interface DatasetRow {
  id: string;
  domain: string;
  label: string;
  caption: string;
  split: DatasetSplit;
  intensity: number;
  audioPath: string; // absolute
  imagePath: string; // absolute
}

export function manifestPathOf(datasetDir: string): string {
  return join(datasetDir, MANIFEST_FILE);
}

export function readDataset(datasetDir: string): DatasetRow[] {
  const path = manifestPathOf(datasetDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read the dataset manifest (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const records = parseCsv(text, path);
  if (records.length === 0) throw new Error(`${path}: empty manifest (expected a header ${COLUMNS.join(',')})`);
  const header = records[0]!.fields.map((h) => h.trim());
  const at = new Map<string, number>();
  for (const c of COLUMNS) {
    const i = header.indexOf(c);
    if (i < 0) throw new Error(`${path}:1: header lacks column '${c}' (expected ${COLUMNS.join(',')})`);
    at.set(c, i);
  }
  const root = dirname(resolve(path));
  return records.slice(1).map(({ line, fields }) => {
    const get = (c: (typeof COLUMNS)[number]) => fields[at.get(c)!] ?? '';
    const split = get('split');
    if (split !== 'train' && split !== 'val' && split !== 'test') throw new Error(`${path}:${line}: field 'split' is '${split}', expected train, val or test`);
    const intensity = Number(get('intensity') || '0.5');
    if (!Number.isFinite(intensity)) throw new Error(`${path}:${line}: field 'intensity' is not a number`);
    const media = (c: 'audio' | 'image') => {
      const v = get(c);
      if (v.trim() === '') throw new Error(`${path}:${line}: field '${c}' is empty`);
      return isAbsolute(v) ? v : resolve(root, v);
    };
    return { id: get('id'), domain: get('domain'), label: get('label'), caption: get('caption'), split, intensity, audioPath: media('audio'), imagePath: media('image') };
  });
}

/**
 * Writes manifest.csv into `dir`. Media inside `dir` get relative paths; media elsewhere (another stage's
 * immutable output) keep absolute paths, since a stage's output directory moves into the object store.
 */
export function writeDataset(dir: string, rows: readonly DatasetRow[]): void {
  const rel = (p: string) => {
    const r = relative(dir, p);
    return r.startsWith('..') || isAbsolute(r) ? p : r.split('\\').join('/');
  };
  const csv = stringify(
    rows.map((r) => [r.id, r.domain, r.label, r.caption, rel(r.audioPath), rel(r.imagePath), r.split, String(r.intensity)]),
    { header: true, columns: [...COLUMNS] },
  );
  writeFileSync(manifestPathOf(dir), csv);
}

export function domainsOf(rows: readonly DatasetRow[]): string[] {
  return [...new Set(rows.map((r) => r.domain))].sort();
}

/** The labelled classes of a domain, sorted (the official AIC's `label_texts = sorted(unique(labels))`). */
export function classesOf(rows: readonly DatasetRow[], domain: string): string[] {
  return [...new Set(rows.filter((r) => r.domain === domain && r.label !== '').map((r) => r.label))].sort();
}

export function rowsOf(rows: readonly DatasetRow[], domain: string, split?: DatasetSplit): DatasetRow[] {
  return rows.filter((r) => r.domain === domain && (split === undefined || r.split === split));
}

export function requireDomain(rows: readonly DatasetRow[], domain: string, where: string): void {
  if (!rows.some((r) => r.domain === domain)) throw new Error(`${where}: the dataset has no domain '${domain}' (it has ${domainsOf(rows).join(', ') || 'no rows'})`);
}
