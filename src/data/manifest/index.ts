// The dataset manifest format: columns, reading with validation, writing.
export { MANIFEST_COLUMNS, MANIFEST_FILE, PROVENANCE_COLUMNS, SPLITS, isSplit, type ManifestColumn, type Split } from './columns.js';
export { ManifestError, readManifestFile, type ManifestCells, type ManifestEntry, type ManifestPolicy } from './read-manifest.js';
export { manifestMediaPath, manifestText, writeManifestFile, type ManifestCell } from './write-manifest.js';
