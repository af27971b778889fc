// SonicToy: a seeded synthetic audio–image world (Landscape / Greatest Hits / RAVDESS-song stand-ins).
export { generateSonicToy, sampleId, sampleIntensity, sampleSeed, SONICTOY_DEFAULTS, SONICTOY_GENERATOR_VERSION, type SonicToyOptions, type SonicToyResult } from './generate.js';
export { readManifest, manifestCsv, ManifestError, MANIFEST_COLUMNS, SPLITS, type ManifestRow, type ResolvedManifestRow, type Split } from './manifest.js';
export { sonicToyClasses, isSonicToyDomain, SonicToyError } from './classes.js';
export { renderSonicToySample, INTENSITY_RANGE_DB, type SampleRenderParams, type RenderedSample } from './sample.js';
export { SONICTOY_DOMAINS, type SonicToyDomain } from './toy-class.js';
export { Rng, hashString } from './prng.js';
