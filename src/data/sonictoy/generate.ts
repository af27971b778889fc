// Generate a SonicToy dataset: per domain, class, split and index one WAV, one PNG and a manifest row.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../media/atomic-write.js';
import { encodePng } from '../media/png.js';
import { encodeWav } from '../media/wav.js';
import { SonicToyError, sonicToyClasses } from './classes.js';
import { SPLITS, type Split } from '../manifest/index.js';
import { manifestCsv, type ManifestRow } from './manifest.js';
import { hashString, Rng } from './prng.js';
import { renderSonicToySample } from './sample.js';
import { SONICTOY_DOMAINS, type SonicToyDomain } from './toy-class.js';

/** Bumped whenever the generator's output for the same parameters changes. */
export const SONICTOY_GENERATOR_VERSION = 1;

export interface SonicToyOptions {
  outDir: string;
  seed?: number;
  domains?: readonly SonicToyDomain[];
  perClass?: Partial<Record<Split, number>>;
  sampleRate?: number;
  clipSeconds?: number;
  imageSize?: number;
  /** Audio sample encoding of the WAV files. Default 'pcm16'. */
  audioEncoding?: 'float32' | 'pcm16';
}

export const SONICTOY_DEFAULTS = {
  seed: 0,
  domains: SONICTOY_DOMAINS,
  perClass: { train: 24, val: 4, test: 8 },
  sampleRate: 16000,
  clipSeconds: 1.5,
  imageSize: 32,
  audioEncoding: 'pcm16',
} as const;

export interface SonicToyResult {
  manifestPath: string;
  /** Sample counts per domain and split. */
  counts: Record<string, Record<Split, number>>;
  total: number;
}

function checkInt(name: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) throw new SonicToyError(`sonictoy: '${name}' must be an integer in [${min}, ${max}], got ${v}`);
}

export function sampleId(domain: SonicToyDomain, label: string, split: Split, index: number): string {
  return `${domain}-${label.replace(/\s+/g, '-')}-${split}-${String(index).padStart(4, '0')}`;
}

/** The seed of one sample: independent of generation order and of the other counts. */
export function sampleSeed(seed: number, domain: SonicToyDomain, label: string, split: Split, index: number): number {
  return hashString(`sonictoy/${seed}/${domain}/${label}/${split}/${index}`);
}

/** Intensity of one sample, rounded to 3 decimals so the manifest holds the exact value used. */
export function sampleIntensity(sampleSeedValue: number): number {
  return Math.round(new Rng(sampleSeedValue ^ 0x1e7).next() * 1000) / 1000;
}

export async function generateSonicToy(options: SonicToyOptions): Promise<SonicToyResult> {
  const seed = options.seed ?? SONICTOY_DEFAULTS.seed;
  const domains = options.domains ?? SONICTOY_DEFAULTS.domains;
  const perClass = { ...SONICTOY_DEFAULTS.perClass, ...(options.perClass ?? {}) };
  const sampleRate = options.sampleRate ?? SONICTOY_DEFAULTS.sampleRate;
  const clipSeconds = options.clipSeconds ?? SONICTOY_DEFAULTS.clipSeconds;
  const imageSize = options.imageSize ?? SONICTOY_DEFAULTS.imageSize;
  const audioEncoding = options.audioEncoding ?? SONICTOY_DEFAULTS.audioEncoding;
  if (!options.outDir) throw new SonicToyError("sonictoy: 'outDir' is required");
  checkInt('seed', seed, 0, 0xffffffff);
  checkInt('sampleRate', sampleRate, 4000, 192000);
  checkInt('imageSize', imageSize, 8, 1024);
  if (!(typeof clipSeconds === 'number' && clipSeconds >= 0.1 && clipSeconds <= 30)) throw new SonicToyError(`sonictoy: 'clipSeconds' must be a number in [0.1, 30], got ${clipSeconds}`);
  for (const s of SPLITS) checkInt(`perClass.${s}`, perClass[s], 0, 100000);
  if (domains.length === 0) throw new SonicToyError("sonictoy: 'domains' is empty");
  for (const d of domains) if (!(SONICTOY_DOMAINS as readonly string[]).includes(d)) throw new SonicToyError(`sonictoy: unknown domain '${d}' in 'domains'; expected ${SONICTOY_DOMAINS.join(', ')}`);
  if (new Set(domains).size !== domains.length) throw new SonicToyError(`sonictoy: 'domains' lists a domain twice (${domains.join(', ')})`);

  const rows: ManifestRow[] = [];
  const counts: Record<string, Record<Split, number>> = {};
  for (const domain of domains) {
    counts[domain] = { train: 0, val: 0, test: 0 };
    await mkdir(join(options.outDir, domain, 'audio'), { recursive: true });
    await mkdir(join(options.outDir, domain, 'images'), { recursive: true });
    for (const label of sonicToyClasses(domain)) {
      for (const split of SPLITS) {
        for (let index = 0; index < perClass[split]; index++) {
          const id = sampleId(domain, label, split, index);
          const s = sampleSeed(seed, domain, label, split, index);
          const intensity = sampleIntensity(s);
          const sample = renderSonicToySample({ domain, label, seed: s, intensity, sampleRate, clipSeconds, imageSize });
          const audio = `${domain}/audio/${id}.wav`;
          const image = `${domain}/images/${id}.png`;
          await writeFileAtomic(join(options.outDir, audio), encodeWav(sample.audio, sampleRate, { encoding: audioEncoding }));
          await writeFileAtomic(join(options.outDir, image), encodePng(sample.image));
          rows.push({ id, domain, label, caption: sample.caption, audio, image, split, intensity });
          counts[domain][split] += 1;
        }
      }
    }
  }
  const manifestPath = join(options.outDir, 'manifest.csv');
  await rm(manifestPath, { force: true });
  await writeFileAtomic(manifestPath, Buffer.from(manifestCsv(rows), 'utf8'));
  const info = { generator: 'sonictoy', version: SONICTOY_GENERATOR_VERSION, seed, domains, perClass, sampleRate, clipSeconds, imageSize, audioEncoding };
  await writeFileAtomic(join(options.outDir, 'sonictoy.json'), Buffer.from(`${JSON.stringify(info, null, 2)}\n`, 'utf8'));
  return { manifestPath, counts, total: rows.length };
}
