// The SonicToy world must be learnable by small models: even a nearest-centroid classifier on crude
// features (mean log-mel per band; a 4×4×4 colour histogram) beats chance by a wide margin on the test split.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempDir } from '../helpers/temp-dir.js';
import { generateSonicToy, readManifest, sonicToyClasses, SONICTOY_DOMAINS, type ResolvedManifestRow } from '../../src/data/sonictoy/index.js';
import { logMelSpectrogram } from '../../src/data/media/mel.js';
import { readWav } from '../../src/data/media/wav.js';
import { readPng } from '../../src/data/media/png.js';

function meanLogMel(row: ResolvedManifestRow): Float64Array {
  const wav = readWav(row.audioPath);
  const nMels = 32;
  const mel = logMelSpectrogram(wav.samples, { sampleRate: wav.sampleRate, nFft: 512, hop: 256, nMels });
  const f = new Float64Array(nMels);
  for (let t = 0; t < mel.frames; t++) for (let m = 0; m < nMels; m++) f[m]! += mel.data[t * nMels + m]! / mel.frames;
  return f;
}

function colourHistogram(row: ResolvedManifestRow): Float64Array {
  const img = readPng(row.imagePath);
  const bins = 4;
  const f = new Float64Array(bins ** 3);
  const n = img.width * img.height;
  const q = (v: number) => Math.min(bins - 1, Math.floor((v / 256) * bins));
  for (let i = 0; i < n; i++) f[q(img.data[i * 3]!) * bins * bins + q(img.data[i * 3 + 1]!) * bins + q(img.data[i * 3 + 2]!)]! += 1 / n;
  return f;
}

function nearestCentroidAccuracy(rows: ResolvedManifestRow[], feature: (r: ResolvedManifestRow) => Float64Array): number {
  const sums = new Map<string, { sum: Float64Array; n: number }>();
  for (const r of rows.filter((x) => x.split === 'train')) {
    const f = feature(r);
    const entry = sums.get(r.label) ?? { sum: new Float64Array(f.length), n: 0 };
    f.forEach((v, i) => (entry.sum[i]! += v));
    entry.n += 1;
    sums.set(r.label, entry);
  }
  const centroids = [...sums].map(([label, { sum, n }]) => ({ label, c: sum.map((v) => v / n) }));
  const test = rows.filter((x) => x.split === 'test');
  let correct = 0;
  for (const r of test) {
    const f = feature(r);
    let best = '';
    let bestD = Infinity;
    for (const { label, c } of centroids) {
      const d = f.reduce((s, v, i) => s + (v - c[i]!) ** 2, 0);
      if (d < bestD) [best, bestD] = [label, d];
    }
    if (best === r.label) correct += 1;
  }
  return correct / test.length;
}

test('nearest-centroid classifiers on audio and image features beat chance by > 2× in every domain', async () => {
  const dir = tempDir('toy-learn-');
  const { manifestPath } = await generateSonicToy({ outDir: dir, seed: 3, perClass: { train: 12, val: 0, test: 6 }, clipSeconds: 1 });
  const rows = readManifest(manifestPath);
  const report: string[] = [];
  for (const domain of SONICTOY_DOMAINS) {
    const domainRows = rows.filter((r) => r.domain === domain);
    const chance = 1 / sonicToyClasses(domain).length;
    const audio = nearestCentroidAccuracy(domainRows, meanLogMel);
    const image = nearestCentroidAccuracy(domainRows, colourHistogram);
    report.push(`${domain}: chance ${chance.toFixed(3)} audio ${audio.toFixed(3)} image ${image.toFixed(3)}`);
    assert.ok(audio > 2 * chance, `${domain} audio accuracy ${audio} vs chance ${chance}`);
    assert.ok(image > 2 * chance, `${domain} image accuracy ${image} vs chance ${chance}`);
  }
  console.log(report.join('\n'));
});
