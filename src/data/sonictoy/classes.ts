// Class registry per domain.
import { HITS_CLASSES } from './hits.js';
import { LANDSCAPE_CLASSES } from './landscape.js';
import { SONICTOY_DOMAINS, type SonicToyDomain, type ToyClass } from './toy-class.js';
import { VOICES_CLASSES } from './voices.js';

const REGISTRY: Record<SonicToyDomain, readonly ToyClass[]> = {
  landscape: LANDSCAPE_CLASSES,
  hits: HITS_CLASSES,
  voices: VOICES_CLASSES,
};

export class SonicToyError extends Error {}

export function isSonicToyDomain(value: string): value is SonicToyDomain {
  return (SONICTOY_DOMAINS as readonly string[]).includes(value);
}

function checkDomain(domain: string): SonicToyDomain {
  if (!isSonicToyDomain(domain)) throw new SonicToyError(`unknown SonicToy domain '${domain}'; expected one of ${SONICTOY_DOMAINS.join(', ')}`);
  return domain;
}

/** Class labels of a domain, in a fixed order (Landscape's 9, 8 Greatest Hits materials, 6 RAVDESS song emotions). */
export function sonicToyClasses(domain: SonicToyDomain): string[] {
  return REGISTRY[checkDomain(domain)].map((c) => c.label);
}

export function toyClass(domain: SonicToyDomain, label: string): ToyClass {
  const found = REGISTRY[checkDomain(domain)].find((c) => c.label === label);
  if (!found) throw new SonicToyError(`unknown ${domain} class '${label}'; expected one of ${sonicToyClasses(domain).join(', ')}`);
  return found;
}
