// The SonicToy manifest: the shared manifest format (../manifest) with SonicToy's domains and classes, every
// field required, and exactly the core columns when written.
import { MANIFEST_COLUMNS, ManifestError, manifestText, readManifestFile, SPLITS, type Split } from '../manifest/index.js';
import { isSonicToyDomain, sonicToyClasses } from './classes.js';
import type { SonicToyDomain } from './toy-class.js';

export { MANIFEST_COLUMNS, ManifestError, SPLITS, type Split };

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

export function manifestCsv(rows: readonly ManifestRow[]): string {
  return manifestText(MANIFEST_COLUMNS, rows.map((r) => [r.id, r.domain, r.label, r.caption, r.audio, r.image, r.split, r.intensity]));
}

/** Read and validate a manifest; errors name the file, line and field. */
export function readManifest(path: string): ResolvedManifestRow[] {
  return readManifestFile(path, {
    checkDomainAndLabel(domain, label, cells) {
      if (!isSonicToyDomain(domain)) cells.fail(`field 'domain' is '${domain}', expected landscape, hits or voices`);
      if (label.trim() === '') cells.fail(`field 'label' is empty`);
      const labels = sonicToyClasses(domain as SonicToyDomain);
      if (!labels.includes(label)) cells.fail(`field 'label' is '${label}', not a ${domain} class (${labels.join(', ')})`);
    },
    toRow: (e) => ({
      id: e.id, domain: e.domain as SonicToyDomain, label: e.label, caption: e.caption, audio: e.audio, image: e.image, split: e.split, intensity: e.intensity,
      audioPath: e.audioPath, imagePath: e.imagePath,
    }),
  });
}
