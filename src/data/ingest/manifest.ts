// The paper datasets' manifest: the shared manifest format (../manifest) — core columns
// id,domain,label,caption,audio,image,split,intensity — followed by the provenance columns
// (source,origin,start,duration,group). `caption` is empty until the caption stage fills it; `label` is empty
// for unlabeled pairs (Into the Wild, Landscape clips without a label row); `intensity` is the clip's RMS level
// mapped from [-60, 0] dBFS to [0, 1] (see intensity.ts).
import { MANIFEST_COLUMNS, ManifestError, manifestText, PROVENANCE_COLUMNS, readManifestFile, type Split } from '../manifest/index.js';
import { domainLabels, INGEST_DOMAINS, type IngestDomain, type IngestSource } from './labels.js';

export { PROVENANCE_COLUMNS };
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

export class IngestManifestError extends ManifestError {}

export function ingestManifestCsv(rows: readonly IngestManifestRow[]): string {
  return manifestText(
    INGEST_MANIFEST_COLUMNS,
    rows.map((r) => [r.id, r.domain, r.label, r.caption, r.audio, r.image, r.split, r.intensity, r.source, r.origin, r.start, r.duration, r.group]),
  );
}

const DOMAINS = new Set<string>(Object.values(INGEST_DOMAINS));

/** A row without a `source` column comes from the dataset its domain stands for (a SonicToy manifest). */
function defaultSource(domain: IngestDomain): IngestSource {
  return domain === 'hits' ? 'greatest-hits' : domain === 'voices' ? 'ravdess' : 'landscape';
}

/**
 * Read and validate an ingest manifest (errors name file, line and field). Also reads SonicToy manifests:
 * the provenance columns are optional, and every SonicToy label belongs to the paper label sets.
 */
export function readIngestManifest(path: string): ResolvedIngestRow[] {
  return readManifestFile(path, {
    error: IngestManifestError,
    expectedHeader: INGEST_MANIFEST_COLUMNS,
    checkDomainAndLabel(domain, label, cells) {
      if (!DOMAINS.has(domain)) cells.fail(`field 'domain' is '${domain}', expected landscape, hits or voices`);
      const labels = domainLabels(domain as IngestDomain);
      if (label === '' ? domain !== 'landscape' : !labels.includes(label)) {
        cells.fail(`field 'label' is '${label}', not a ${domain} class (${labels.join(', ')})${domain === 'landscape' ? ' or empty' : ''}`);
      }
    },
    toRow(e, cells) {
      const domain = e.domain as IngestDomain;
      const source = cells.get('source') || defaultSource(domain);
      if (!(source in INGEST_DOMAINS)) cells.fail(`field 'source' is '${source}', expected one of ${Object.keys(INGEST_DOMAINS).join(', ')}`);
      return {
        id: e.id, domain, label: e.label, caption: e.caption, audio: e.audio, image: e.image, split: e.split, intensity: e.intensity,
        source: source as IngestSource, origin: cells.get('origin'), start: cells.number('start', 0, Number.MAX_VALUE, 0), duration: cells.number('duration', 0, Number.MAX_VALUE, 0), group: cells.get('group') || e.id,
        audioPath: e.audioPath, imagePath: e.imagePath,
      };
    },
  });
}
