// The paper datasets' manifest: the SonicToy columns (id,domain,label,caption,audio,image,split,intensity)
// followed by provenance columns (source,origin,start,duration,group). `caption` is empty until the caption
// stage fills it; `label` is empty for unlabeled pairs (Into the Wild, Landscape clips without a label row);
// `intensity` is the clip's RMS level mapped from [-60, 0] dBFS to [0, 1] (see intensity.ts).
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { MANIFEST_COLUMNS, SPLITS, type Split } from '../sonictoy/manifest.js';
import { CsvError, parseCsv } from '../tabular/csv.js';
import { domainLabels, INGEST_DOMAINS, type IngestDomain, type IngestSource } from './labels.js';

export const PROVENANCE_COLUMNS = ['source', 'origin', 'start', 'duration', 'group'] as const;
export const INGEST_MANIFEST_COLUMNS = [...MANIFEST_COLUMNS, ...PROVENANCE_COLUMNS] as const;

export interface IngestManifestRow {
  id: string;
  domain: IngestDomain;
  label: string;
  caption: string;
  /** Relative to the manifest's directory. */
  audio: string;
  image: string;
  split: Split;
  intensity: number;
  source: IngestSource;
  /** Source media path relative to the dataset root. */
  origin: string;
  /** Seconds into the source where the audio starts. */
  start: number;
  /** Audio length in seconds. */
  duration: number;
  /** Split group (items of one group share a split): the source video for windowed datasets. */
  group: string;
}

export interface ResolvedIngestRow extends IngestManifestRow {
  audioPath: string;
  imagePath: string;
}

export class IngestManifestError extends Error {}

export function ingestManifestCsv(rows: readonly IngestManifestRow[]): string {
  return stringify(
    rows.map((r) => [r.id, r.domain, r.label, r.caption, r.audio, r.image, r.split, r.intensity.toString(), r.source, r.origin, r.start.toString(), r.duration.toString(), r.group]),
    { header: true, columns: [...INGEST_MANIFEST_COLUMNS] },
  );
}

/**
 * Read and validate an ingest manifest (errors name file, line and field). Also reads SonicToy manifests:
 * the provenance columns are optional, and every SonicToy label belongs to the paper label sets.
 */
export function readIngestManifest(path: string): ResolvedIngestRow[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new IngestManifestError(`${path}: cannot read manifest (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let records;
  try {
    records = parseCsv(text, path);
  } catch (e) {
    if (e instanceof CsvError) throw new IngestManifestError(e.message);
    throw e;
  }
  if (records.length === 0) throw new IngestManifestError(`${path}: empty manifest (expected a header line ${INGEST_MANIFEST_COLUMNS.join(',')})`);
  const header = records[0]!.fields.map((h) => h.trim());
  for (const col of MANIFEST_COLUMNS) {
    if (!header.includes(col)) throw new IngestManifestError(`${path}:1: header lacks column '${col}' (expected ${INGEST_MANIFEST_COLUMNS.join(',')})`);
  }
  const root = dirname(resolve(path));
  const seen = new Map<string, number>();
  const domains = new Set<string>(Object.values(INGEST_DOMAINS));
  return records.slice(1).map(({ line, fields }) => {
    const where = `${path}:${line}`;
    if (fields.length !== header.length) throw new IngestManifestError(`${where}: expected ${header.length} fields, found ${fields.length}`);
    const get = (col: string): string => {
      const at = header.indexOf(col);
      return at < 0 ? '' : fields[at]!;
    };
    const nonEmpty = (col: string) => {
      const v = get(col);
      if (v.trim() === '') throw new IngestManifestError(`${where}: field '${col}' is empty`);
      return v;
    };
    const num = (col: string, min: number, max: number, fallback: number) => {
      const v = get(col);
      if (v.trim() === '' && !header.includes(col)) return fallback;
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new IngestManifestError(`${where}: field '${col}' is '${v}', expected a number in [${min}, ${max}]`);
      return n;
    };
    const id = nonEmpty('id');
    const previous = seen.get(id);
    if (previous !== undefined) throw new IngestManifestError(`${where}: field 'id' repeats '${id}' (first on line ${previous})`);
    seen.set(id, line);
    const domain = nonEmpty('domain');
    if (!domains.has(domain)) throw new IngestManifestError(`${where}: field 'domain' is '${domain}', expected landscape, hits or voices`);
    const label = get('label');
    const labels = domainLabels(domain as IngestDomain);
    if (label === '' ? domain !== 'landscape' : !labels.includes(label)) {
      throw new IngestManifestError(`${where}: field 'label' is '${label}', not a ${domain} class (${labels.join(', ')})${domain === 'landscape' ? ' or empty' : ''}`);
    }
    const split = nonEmpty('split');
    if (!(SPLITS as readonly string[]).includes(split)) throw new IngestManifestError(`${where}: field 'split' is '${split}', expected train, val or test`);
    const intensity = num('intensity', 0, 1, 0);
    const audio = nonEmpty('audio');
    const image = nonEmpty('image');
    const source = get('source') || (domain === 'hits' ? 'greatest-hits' : domain === 'voices' ? 'ravdess' : 'landscape');
    if (!(source in INGEST_DOMAINS)) throw new IngestManifestError(`${where}: field 'source' is '${source}', expected one of ${Object.keys(INGEST_DOMAINS).join(', ')}`);
    return {
      id, domain: domain as IngestDomain, label, caption: get('caption'), audio, image, split: split as Split, intensity,
      source: source as IngestSource, origin: get('origin'), start: num('start', 0, Number.MAX_VALUE, 0), duration: num('duration', 0, Number.MAX_VALUE, 0), group: get('group') || id,
      audioPath: isAbsolute(audio) ? audio : resolve(root, audio),
      imagePath: isAbsolute(image) ? image : resolve(root, image),
    };
  });
}
