import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/temp-dir.js';
import {
  generateSonicToy, readManifest, renderSonicToySample, sampleSeed, sonicToyClasses, ManifestError, SonicToyError,
  MANIFEST_COLUMNS, SONICTOY_DOMAINS, type SonicToyDomain,
} from '../../src/data/sonictoy/index.js';
import { readWav } from '../../src/data/media/wav.js';
import { readPng } from '../../src/data/media/png.js';
import type { RgbImage } from '../../src/data/media/image.js';

const tiny = { perClass: { train: 2, val: 1, test: 1 }, clipSeconds: 0.3, imageSize: 16 };

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(dir, join(prefix, e.name)) : [join(prefix, e.name)],
  ).sort();
}

test('class lists mirror the paper datasets', () => {
  assert.deepEqual(sonicToyClasses('landscape'), ['explosion', 'fire crackling', 'raining', 'splashing water', 'squishing water', 'thunder', 'underwater bubbling', 'waterfall burbling', 'wind noise']);
  assert.deepEqual(sonicToyClasses('hits'), ['wood', 'metal', 'glass', 'leaf', 'water', 'dirt', 'cloth', 'plastic']);
  assert.deepEqual(sonicToyClasses('voices'), ['neutral', 'calm', 'happy', 'sad', 'angry', 'fearful']);
  assert.throws(() => sonicToyClasses('speech' as SonicToyDomain), (e: unknown) => e instanceof SonicToyError && /unknown SonicToy domain 'speech'/.test(e.message));
});

test('generation is deterministic: same seed gives identical bytes, another seed differs', async () => {
  const a = tempDir('toy-a-');
  const b = tempDir('toy-b-');
  const c = tempDir('toy-c-');
  await generateSonicToy({ outDir: a, seed: 5, ...tiny });
  await generateSonicToy({ outDir: b, seed: 5, ...tiny });
  await generateSonicToy({ outDir: c, seed: 6, ...tiny });
  const files = listFiles(a);
  assert.deepEqual(listFiles(b), files);
  assert.ok(files.length > 100);
  for (const f of files) assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `${f} differs between identical runs`);
  const media = files.filter((f) => f.endsWith('.wav') || f.endsWith('.png'));
  const same = media.filter((f) => readFileSync(join(a, f)).equals(readFileSync(join(c, f))));
  assert.equal(same.length, 0, `files identical across seeds: ${same.slice(0, 3).join(', ')}`);
  assert.ok(!readFileSync(join(a, 'manifest.csv')).equals(readFileSync(join(c, 'manifest.csv'))));
});

test('a sample does not depend on the requested counts', async () => {
  const small = tempDir('toy-s-');
  const big = tempDir('toy-l-');
  await generateSonicToy({ outDir: small, seed: 9, domains: ['hits'], perClass: { train: 1, val: 0, test: 0 }, clipSeconds: 0.3, imageSize: 16 });
  await generateSonicToy({ outDir: big, seed: 9, domains: ['voices', 'hits'], perClass: { train: 3, val: 1, test: 1 }, clipSeconds: 0.3, imageSize: 16 });
  const f = 'hits/audio/hits-glass-train-0000.wav';
  assert.ok(readFileSync(join(small, f)).equals(readFileSync(join(big, f))));
});

test('manifest has the right columns, counts, splits and files; every class is in every split', async () => {
  const dir = tempDir('toy-m-');
  const result = await generateSonicToy({ outDir: dir, seed: 1, ...tiny, sampleRate: 8000 });
  assert.equal(result.manifestPath, join(dir, 'manifest.csv'));
  assert.equal(readFileSync(result.manifestPath, 'utf8').split('\n')[0], MANIFEST_COLUMNS.join(','));
  const rows = readManifest(result.manifestPath);
  let expectedTotal = 0;
  for (const domain of SONICTOY_DOMAINS) {
    const n = sonicToyClasses(domain).length;
    assert.deepEqual(result.counts[domain], { train: 2 * n, val: n, test: n });
    expectedTotal += 4 * n;
    for (const split of ['train', 'val', 'test'] as const) {
      const labels = new Set(rows.filter((r) => r.domain === domain && r.split === split).map((r) => r.label));
      assert.deepEqual([...labels].sort(), sonicToyClasses(domain).sort(), `${domain}/${split}`);
    }
  }
  assert.equal(rows.length, expectedTotal);
  assert.equal(result.total, expectedTotal);
  assert.equal(new Set(rows.map((r) => r.id)).size, rows.length);
  for (const r of rows.filter((_, i) => i % 7 === 0)) {
    assert.ok(r.audio.startsWith(`${r.domain}/audio/`) && r.image.startsWith(`${r.domain}/images/`));
    const wav = readWav(r.audioPath);
    assert.equal(wav.sampleRate, 8000);
    assert.equal(wav.samples.length, 2400);
    const png = readPng(r.imagePath);
    assert.equal(png.width, 16);
    assert.ok(r.intensity >= 0 && r.intensity <= 1);
    assert.match(r.caption, /^[a-z ]+$/);
  }
  // Captions use a small vocabulary and vary in wording within a class.
  const vocabulary = new Set(rows.flatMap((r) => r.caption.split(' ')));
  assert.ok(vocabulary.size < 200, `vocabulary of ${vocabulary.size} words`);
  const thunder = new Set(rows.filter((r) => r.label === 'thunder').map((r) => r.caption));
  assert.ok(thunder.size >= 2);
  assert.ok([...thunder].every((c) => /thunder|lightning|storm/.test(c)));
});

test('generator options are validated with clear messages', async () => {
  const dir = tempDir('toy-v-');
  await assert.rejects(generateSonicToy({ outDir: dir, perClass: { train: -1 } }), /'perClass.train' must be an integer in \[0, 100000\], got -1/);
  await assert.rejects(generateSonicToy({ outDir: dir, domains: ['speech' as SonicToyDomain] }), /unknown domain 'speech' in 'domains'/);
  await assert.rejects(generateSonicToy({ outDir: dir, imageSize: 4 }), /'imageSize' must be an integer in \[8, 1024\], got 4/);
  await assert.rejects(generateSonicToy({ outDir: dir, clipSeconds: 0 }), /'clipSeconds' must be a number in \[0.1, 30\], got 0/);
});

test('readManifest names the line and field of a bad row', () => {
  const dir = tempDir('toy-r-');
  const p = join(dir, 'manifest.csv');
  const header = MANIFEST_COLUMNS.join(',');
  const good = 'x1,hits,wood,"a stick hitting wood, twice",hits/audio/x1.wav,hits/images/x1.png,train,0.5';
  writeFileSync(p, `${header}\n${good}\n`);
  const [row] = readManifest(p);
  assert.equal(row!.caption, 'a stick hitting wood, twice');
  assert.equal(row!.audioPath, join(dir, 'hits/audio/x1.wav'));
  const cases: Array<[string, RegExp]> = [
    ['x2,hits,wood,c,a.wav,b.png,train,1.5', /manifest\.csv:3: field 'intensity' is '1\.5', expected a number in \[0, 1\]/],
    ['x2,hits,granite,c,a.wav,b.png,train,0.5', /manifest\.csv:3: field 'label' is 'granite', not a hits class/],
    ['x2,hits,wood,c,a.wav,b.png,holdout,0.5', /manifest\.csv:3: field 'split' is 'holdout', expected train, val or test/],
    ['x2,hits,wood,c,,b.png,train,0.5', /manifest\.csv:3: field 'audio' is empty/],
    ['x1,hits,wood,c,a.wav,b.png,train,0.5', /manifest\.csv:3: field 'id' repeats 'x1' \(first on line 2\)/],
    ['x2,hits,wood,c,a.wav,b.png,train', /manifest\.csv:3: expected 8 fields, found 7/],
  ];
  for (const [line, pattern] of cases) {
    writeFileSync(p, `${header}\n${good}\n${line}\n`);
    assert.throws(() => readManifest(p), (e: unknown) => e instanceof ManifestError && pattern.test(e.message), line);
  }
  writeFileSync(p, 'id,domain,label\n');
  assert.throws(() => readManifest(p), /manifest\.csv:1: header lacks column 'caption'/);
});

const rms = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);

function luminanceStd(img: RgbImage): number {
  const n = img.width * img.height;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const l = 0.299 * img.data[i * 3]! + 0.587 * img.data[i * 3 + 1]! + 0.114 * img.data[i * 3 + 2]!;
    s += l;
    s2 += l * l;
  }
  return Math.sqrt(s2 / n - (s / n) ** 2);
}

function meanChroma(img: RgbImage): number {
  let s = 0;
  for (let i = 0; i < img.data.length; i += 3) s += Math.max(img.data[i]!, img.data[i + 1]!, img.data[i + 2]!) - Math.min(img.data[i]!, img.data[i + 1]!, img.data[i + 2]!);
  return s / (img.data.length / 3);
}

test('intensity monotonically raises clip RMS and a visual statistic, for every class', () => {
  // Landscape scenes and Hits textures get more contrast (luminance std); Voices faces get more colour.
  const visual = (domain: SonicToyDomain) => (domain === 'voices' ? meanChroma : luminanceStd);
  const levels = [0, 0.25, 0.5, 0.75, 1];
  for (const domain of SONICTOY_DOMAINS) {
    for (const label of sonicToyClasses(domain)) {
      for (let k = 0; k < 2; k++) {
        const seed = sampleSeed(42, domain, label, 'test', k);
        const samples = levels.map((intensity) => renderSonicToySample({ domain, label, seed, intensity, sampleRate: 8000, clipSeconds: 0.5, imageSize: 32 }));
        const loud = samples.map((s) => rms(s.audio));
        const strength = samples.map((s) => visual(domain)(s.image));
        for (let i = 1; i < levels.length; i++) {
          assert.ok(loud[i]! > loud[i - 1]!, `${domain}/${label}#${k}: RMS ${loud.map((v) => v.toFixed(4))}`);
          assert.ok(strength[i]! > strength[i - 1]!, `${domain}/${label}#${k}: visual ${strength.map((v) => v.toFixed(4))}`);
        }
        // 24 dB of loudness range, except where the soft limiter bites at the top.
        assert.ok(loud[4]! / loud[0]! > 10, `${domain}/${label}: loudness range ${loud[4]! / loud[0]!}`);
        assert.ok(samples.every((s) => s.audio.every((v) => Math.abs(v) < 1)));
      }
    }
  }
});
