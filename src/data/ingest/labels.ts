// Class label sets of the paper datasets (spec §9). Labels are stored in the manifest exactly as spelled here.

/** Landscape's nine classes [SD:ldm/data/base_dataset/labels.csv]. */
export const LANDSCAPE_LABELS = [
  'explosion', 'fire crackling', 'raining', 'splashing water', 'squishing water', 'thunder', 'underwater bubbling', 'waterfall burbling', 'wind noise',
] as const;

/** The 17 Greatest Hits materials. */
export const GREATEST_HITS_MATERIALS = [
  'carpet', 'ceramic', 'cloth', 'dirt', 'drywall', 'glass', 'grass', 'gravel', 'leaf', 'metal', 'paper', 'plastic', 'plastic-bag', 'rock', 'tile', 'water', 'wood',
] as const;

/** RAVDESS emotion codes 01–08. */
export const RAVDESS_EMOTIONS = ['neutral', 'calm', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised'] as const;

/** The song recordings have only the first six emotions. */
export const RAVDESS_SONG_EMOTIONS = RAVDESS_EMOTIONS.slice(0, 6);

/** Manifest `domain` per dataset: the same three worlds as SonicToy, so method stages read both alike. */
export const INGEST_DOMAINS = { landscape: 'landscape', 'into-the-wild': 'landscape', 'greatest-hits': 'hits', ravdess: 'voices' } as const;
export type IngestSource = keyof typeof INGEST_DOMAINS;
export type IngestDomain = (typeof INGEST_DOMAINS)[IngestSource];

/** Labels a manifest row of a domain may carry ('' = unlabeled is allowed only for Landscape / Into the Wild). */
export function domainLabels(domain: IngestDomain): readonly string[] {
  if (domain === 'landscape') return LANDSCAPE_LABELS;
  if (domain === 'hits') return GREATEST_HITS_MATERIALS;
  return RAVDESS_SONG_EMOTIONS;
}

/** Lower case, `_` and runs of spaces to one space: "Fire_Crackling" → "fire crackling". */
export function normalizeLandscapeLabel(raw: string): string | undefined {
  const s = raw.trim().toLowerCase().replace(/[_\s]+/g, ' ');
  return (LANDSCAPE_LABELS as readonly string[]).includes(s) ? s : undefined;
}

/** Lower case, spaces/underscores to '-': "Plastic Bag" → "plastic-bag". */
export function normalizeMaterial(raw: string): string | undefined {
  const s = raw.trim().toLowerCase().replace(/[_\s]+/g, '-');
  return (GREATEST_HITS_MATERIALS as readonly string[]).includes(s) ? s : undefined;
}
