// What the toy encoders need from a SonicToy manifest row, and the text each row can be paired with.
import type { ResolvedManifestRow } from '../../data/sonictoy/manifest.js';
import { sonicToyClasses } from '../../data/sonictoy/classes.js';
import { SONICTOY_DOMAINS } from '../../data/sonictoy/toy-class.js';
import type { Rng } from '../../data/sonictoy/prng.js';

export type ToyRow = Pick<ResolvedManifestRow, 'id' | 'domain' | 'label' | 'caption' | 'split' | 'audioPath' | 'imagePath'>;

export function splitRows<R extends ToyRow>(rows: readonly R[], split: ToyRow['split']): R[] {
  return rows.filter((r) => r.split === split);
}

export function requireRows<R>(rows: readonly R[], what: string, min = 2): void {
  if (rows.length < min) throw new Error(`${what}: needs at least ${min} rows in the training split, got ${rows.length}`);
}

/** Every class label of every SonicToy domain (so zero-shot prompts are in the vocabulary). */
export function allClassLabels(): string[] {
  return SONICTOY_DOMAINS.flatMap((d) => sonicToyClasses(d));
}

/** CLIP-style text for a training pair: the raw class label with probability `labelFraction`, else the caption. */
export function pairText(row: ToyRow, labelFraction: number, rng: Rng): string {
  if (row.caption.trim() === '') return row.label;
  return rng.chance(labelFraction) ? row.label : row.caption;
}

export function classKey(row: Pick<ToyRow, 'domain' | 'label'>): string {
  return `${row.domain}/${row.label}`;
}
