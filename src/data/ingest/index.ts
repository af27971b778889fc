// Paper dataset ingest: Landscape + Into the Wild, Greatest Hits and RAVDESS → manifest.csv + audio/ +
// images/ + ingest report (see docs/reproduce-paper.md, "Datasets").
export { ingestLandscape, landscapeClipId, LANDSCAPE_SOURCES, type LandscapeIngestOptions } from './landscape.js';
export { ingestGreatestHits, type GreatestHitsIngestOptions } from './greatest-hits.js';
export { ingestRavdess, type RavdessIngestOptions } from './ravdess.js';
export { INGEST_DEFAULTS, type IngestCommonOptions, type IngestResult } from './run-ingest.js';
export { IngestError } from './errors.js';
export { readIngestManifest, ingestManifestCsv, IngestManifestError, INGEST_MANIFEST_COLUMNS, PROVENANCE_COLUMNS, type IngestManifestRow, type ResolvedIngestRow } from './manifest.js';
export { REPORT_JSON, REPORT_MD, reportMarkdown, type IngestReport, type SkippedEntry } from './report.js';
export { assignSplits, splitCounts, type SplitFractions, type SplitItem, type SplitOptions } from './splits.js';
export { parseRavdessName, RAVDESS_MODALITIES, type RavdessName, type RavdessNameResult } from './ravdess-name.js';
export { parseTimesFile, materialWindows, AnnotationError, type HitEvent, type MaterialWindow, type MaterialWindowOptions } from './greatest-hits-annotations.js';
export { readLandscapeLabels, readSplitLists } from './landscape-lists.js';
export { LANDSCAPE_LABELS, GREATEST_HITS_MATERIALS, RAVDESS_EMOTIONS, RAVDESS_SONG_EMOTIONS, INGEST_DOMAINS, domainLabels, normalizeLandscapeLabel, normalizeMaterial, type IngestSource, type IngestDomain } from './labels.js';
export { clipIntensity, rmsDbfs, INTENSITY_FLOOR_DB } from './intensity.js';
export { LANDSCAPE_LAYOUT, GREATEST_HITS_LAYOUT, RAVDESS_LAYOUT, VIDEO_EXTENSIONS } from './layouts.js';
export { makeFixtureDatasets, FIXTURE_VERSION, type FixtureDatasets, type FixtureDatasetName } from './fixtures.js';
