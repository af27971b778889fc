// Reading a manifest: CSV rules (quoted fields, CRLF, BOM) from tabular/csv, then the checks every manifest
// shares (header, field counts, unique ids, split, intensity, media paths resolved against the manifest's
// directory). What a domain and label may be, and how extra columns are read, is the caller's policy.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { CsvError, parseCsv } from '../tabular/csv.js';
import { isSplit, MANIFEST_COLUMNS, type Split } from './columns.js';

export class ManifestError extends Error {}

/** A row's cells, with helpers that fail with `file:line: field 'x' …` messages. */
export interface ManifestCells {
  /** `file:line` of the row. */
  readonly where: string;
  readonly line: number;
  /** Whether the header names the column. */
  has(column: string): boolean;
  /** The cell, '' when the header lacks the column. */
  get(column: string): string;
  nonEmpty(column: string): string;
  /** A number in [min, max]; `fallback` when the header lacks the column. */
  number(column: string, min: number, max: number, fallback: number): number;
  fail(message: string): never;
}

/** The core columns of one valid row. */
export interface ManifestEntry {
  id: string;
  domain: string;
  label: string;
  caption: string;
  /** As written: relative to the manifest's directory, or absolute. */
  audio: string;
  image: string;
  split: Split;
  intensity: number;
  /** Absolute paths of the media files. */
  audioPath: string;
  imagePath: string;
}

export interface ManifestPolicy<Row> {
  /** The error class thrown; a ManifestError subclass lets a caller tell its own manifest's errors apart. */
  error?: new (message: string) => ManifestError;
  /** The header named in header errors (default: the core columns). */
  expectedHeader?: readonly string[];
  /** Checks a row's domain (non-empty) and label (possibly empty); runs before split, intensity and media. */
  checkDomainAndLabel?(domain: string, label: string, cells: ManifestCells): void;
  /** Intensity of a row whose intensity cell is empty; without it an empty intensity is an error. */
  defaultIntensity?: number;
  /** Builds the caller's row from the checked core columns (and any extra columns). */
  toRow(entry: ManifestEntry, cells: ManifestCells): Row;
}

/** Read and validate a manifest file; every error names the file, line and field. */
export function readManifestFile<Row>(path: string, policy: ManifestPolicy<Row>): Row[] {
  const ErrorClass = policy.error ?? ManifestError;
  const expected = (policy.expectedHeader ?? MANIFEST_COLUMNS).join(',');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ErrorClass(`${path}: cannot read manifest (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let records;
  try {
    records = parseCsv(text, path);
  } catch (e) {
    if (e instanceof CsvError) throw new ErrorClass(e.message);
    throw e;
  }
  if (records.length === 0) throw new ErrorClass(`${path}: empty manifest (expected a header line ${expected})`);
  const header = records[0]!.fields.map((h) => h.trim());
  for (const column of MANIFEST_COLUMNS) {
    if (!header.includes(column)) throw new ErrorClass(`${path}:1: header lacks column '${column}' (expected ${expected})`);
  }
  const root = dirname(resolve(path));
  const media = (p: string) => (isAbsolute(p) ? p : resolve(root, p));
  const firstLineOf = new Map<string, number>();
  return records.slice(1).map(({ line, fields }) => {
    const where = `${path}:${line}`;
    const fail = (message: string): never => {
      throw new ErrorClass(`${where}: ${message}`);
    };
    if (fields.length !== header.length) fail(`expected ${header.length} fields, found ${fields.length}`);
    const cells: ManifestCells = {
      where,
      line,
      fail,
      has: (column) => header.includes(column),
      get: (column) => {
        const at = header.indexOf(column);
        return at < 0 ? '' : fields[at]!;
      },
      nonEmpty: (column) => {
        const v = cells.get(column);
        if (v.trim() === '') fail(`field '${column}' is empty`);
        return v;
      },
      number: (column, min, max, fallback) => {
        if (!cells.has(column)) return fallback;
        const v = cells.get(column);
        const n = Number(v);
        if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max) fail(`field '${column}' is '${v}', expected a number in [${min}, ${max}]`);
        return n;
      },
    };
    const id = cells.nonEmpty('id');
    const previous = firstLineOf.get(id);
    if (previous !== undefined) fail(`field 'id' repeats '${id}' (first on line ${previous})`);
    firstLineOf.set(id, line);
    const domain = cells.nonEmpty('domain');
    const label = cells.get('label');
    policy.checkDomainAndLabel?.(domain, label, cells);
    const split = cells.nonEmpty('split');
    if (!isSplit(split)) fail(`field 'split' is '${split}', expected train, val or test`);
    const intensity = policy.defaultIntensity !== undefined && cells.get('intensity').trim() === ''
      ? policy.defaultIntensity
      : cells.number('intensity', 0, 1, 0);
    const audio = cells.nonEmpty('audio');
    const image = cells.nonEmpty('image');
    const entry: ManifestEntry = {
      id, domain, label, caption: cells.get('caption'), audio, image, split: split as Split, intensity,
      audioPath: media(audio), imagePath: media(image),
    };
    return policy.toRow(entry, cells);
  });
}
