import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { frechetDistanceOfFeatures } from '../../src/metrics/frechet-distance.js';
import { audioImageContent, audioImageSimilarity } from '../../src/metrics/paper-metrics.js';
import { symmetricEigen } from '../../src/metrics/symmetric-eigen.js';

const fixture = JSON.parse(readFileSync('test/fixtures/reference/metrics/metrics.json', 'utf8')) as {
  fid: { a: number[][]; b: number[][]; fid: number }[];
  winRate: { images: number[][]; targets: number[][]; refs: number[][]; score: number; perImage: number[] };
  aic: { images: number[][]; labels: number[]; classTexts: number[][]; accuracy: number; predictions: number[] };
};

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

test('Fréchet distance matches pytorch-fid (scipy sqrtm) within 1e-6 relative', () => {
  for (const c of fixture.fid) {
    const ours = frechetDistanceOfFeatures(c.a, c.b);
    assert.ok(relErr(ours, c.fid) < 1e-6, `ours ${ours} vs reference ${c.fid}`);
  }
});

test('Fréchet distance of a set with itself is zero', () => {
  const a = fixture.fid[1]!.a;
  assert.ok(Math.abs(frechetDistanceOfFeatures(a, a)) < 1e-9);
});

test('symmetric eigen-decomposition reconstructs the matrix', () => {
  const n = 5;
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) m[i * n + j] = m[j * n + i] = Math.sin(i * 7 + j * 3);
  const { values, vectors } = symmetricEigen(m, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += vectors[i * n + k]! * values[k]! * vectors[j * n + k]!;
      assert.ok(Math.abs(s - m[i * n + j]!) < 1e-12);
    }
  }
  for (let k = 1; k < n; k++) assert.ok(values[k]! >= values[k - 1]!);
});

test('AIS/IIS win rate matches evaluation.py exactly', () => {
  const w = fixture.winRate;
  const r = audioImageSimilarity(w.images, w.targets, w.refs);
  // the reference computes in float32: compare win counts exactly, the mean to float32 precision
  assert.deepEqual(r.perImage.map((x) => Math.round(x * w.refs.length)), w.perImage.map((x) => Math.round(x * w.refs.length)));
  assert.ok(relErr(r.score, w.score) < 1e-6);
});

test('AIC zero-shot accuracy matches evaluation.py', () => {
  const a = fixture.aic;
  const r = audioImageContent(a.images, a.labels, a.classTexts);
  assert.deepEqual(r.predictions, a.predictions);
  assert.ok(relErr(r.accuracy, a.accuracy) < 1e-6);
  assert.throws(() => audioImageContent(a.images, a.labels.slice(1), a.classTexts), /labels/);
});
