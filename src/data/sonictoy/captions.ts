// Caption templating: pick a template, fill the intensity word, fix spacing and a/an.
import type { Rng } from './prng.js';
import type { SonicToyDomain } from './toy-class.js';

const INTENSITY_WORDS: Record<SonicToyDomain, { low: readonly string[]; high: readonly string[] }> = {
  landscape: { low: ['gentle', 'small', 'light'], high: ['violent', 'strong', 'heavy'] },
  hits: { low: ['soft', 'light', 'gentle'], high: ['hard', 'strong', 'loud'] },
  voices: { low: ['slightly', 'mildly'], high: ['very', 'intensely'] },
};

/** Intensity below this gets a "low" word, above 1 − this a "high" word, otherwise none. */
const WORD_BAND = 0.34;

export function fillCaption(template: string, domain: SonicToyDomain, intensity: number, rng: Rng): string {
  const words = INTENSITY_WORDS[domain];
  const word = intensity < WORD_BAND ? rng.pick(words.low) : intensity > 1 - WORD_BAND ? rng.pick(words.high) : '';
  const text = template.replace('{i}', word).replace(/\s+/g, ' ').trim();
  return text.replace(/\b(a|an) (\w)/gi, (_m, article: string, next: string) => {
    const vowel = /[aeiou]/i.test(next);
    const fixed = vowel ? 'an' : 'a';
    return `${article[0] === 'A' ? fixed[0]!.toUpperCase() + fixed.slice(1) : fixed} ${next}`;
  });
}
