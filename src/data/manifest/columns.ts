// The dataset manifest format shared by SonicToy, the paper ingests and every method stage: one CSV whose
// header names at least the core columns (any order, extra columns allowed), media paths relative to the
// manifest's directory or absolute.

export const MANIFEST_COLUMNS = ['id', 'domain', 'label', 'caption', 'audio', 'image', 'split', 'intensity'] as const;
export type ManifestColumn = (typeof MANIFEST_COLUMNS)[number];

/** Optional columns the paper ingests add after the core ones: where each item came from. */
export const PROVENANCE_COLUMNS = ['source', 'origin', 'start', 'duration', 'group'] as const;

export const SPLITS = ['train', 'val', 'test'] as const;
export type Split = (typeof SPLITS)[number];

export function isSplit(value: string): value is Split {
  return (SPLITS as readonly string[]).includes(value);
}

/** The file name a dataset directory keeps its manifest under. */
export const MANIFEST_FILE = 'manifest.csv';
