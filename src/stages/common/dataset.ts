// The `dataset` directory every method stage reads: manifest.csv in the shared manifest format
// (src/data/manifest: id,domain,label,caption,audio,image,split,intensity, plus any extra columns, which are
// ignored). Unlike the SonicToy and ingest readers, domains and labels are free strings, so the same stages
// serve SonicToy and the paper's ingested data.
import { join } from 'node:path';
import { MANIFEST_COLUMNS, MANIFEST_FILE, manifestMediaPath, readManifestFile, writeManifestFile, type Split } from '../../data/manifest/index.js';

export { MANIFEST_FILE };
export type DatasetSplit = Split;

/** Intensity of a row whose intensity cell is empty. */
const DEFAULT_INTENSITY = 0.5;

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
  return readManifestFile(manifestPathOf(datasetDir), {
    defaultIntensity: DEFAULT_INTENSITY,
    toRow: (e) => ({ id: e.id, domain: e.domain, label: e.label, caption: e.caption, split: e.split, intensity: e.intensity, audioPath: e.audioPath, imagePath: e.imagePath }),
  });
}

/**
 * Writes manifest.csv into `dir` (atomically). Media inside `dir` get relative paths; media elsewhere (another
 * stage's immutable output) keep absolute paths, since a stage's output directory moves into the object store.
 */
export function writeDataset(dir: string, rows: readonly DatasetRow[]): void {
  writeManifestFile(
    manifestPathOf(dir),
    MANIFEST_COLUMNS,
    rows.map((r) => [r.id, r.domain, r.label, r.caption, manifestMediaPath(dir, r.audioPath), manifestMediaPath(dir, r.imagePath), r.split, r.intensity]),
  );
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
