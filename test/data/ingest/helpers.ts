// Shared checks for the ffmpeg-backed ingest tests.
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { StageContext } from '../../../src/engine/stage/stage-definition.js';
import { readPng } from '../../../src/data/media/png.js';
import { readWav } from '../../../src/data/media/wav.js';
import type { ResolvedIngestRow } from '../../../src/data/ingest/manifest.js';
import { splitCounts, type SplitFractions } from '../../../src/data/ingest/splits.js';

/** mtime of every file under audio/ and images/. */
export function mediaMtimes(outDir: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const sub of ['audio', 'images']) for (const f of readdirSync(join(outDir, sub))) out.set(`${sub}/${f}`, statSync(join(outDir, sub, f)).mtimeMs);
  return out;
}

export interface MediaExpectation {
  sampleRate: number;
  frameSize: number;
  /** Exact sample count, or undefined to skip. */
  samples?: number;
}

export function checkMedia(rows: readonly ResolvedIngestRow[], e: MediaExpectation): void {
  for (const r of rows) {
    const wav = readWav(r.audioPath);
    assert.equal(wav.sampleRate, e.sampleRate, `${r.id}: sample rate`);
    assert.equal(wav.channels, 1, `${r.id}: mono`);
    if (e.samples !== undefined) assert.equal(wav.samples.length, e.samples, `${r.id}: length`);
    assert.ok(Math.abs(wav.samples.length / e.sampleRate - r.duration) < 1e-4, `${r.id}: manifest duration`);
    const png = readPng(r.imagePath);
    assert.equal(png.width, e.frameSize, `${r.id}: png width`);
    assert.equal(png.height, e.frameSize, `${r.id}: png height`);
    let lo = 255;
    let hi = 0;
    for (const v of png.data) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    assert.ok(hi - lo > 50, `${r.id}: the frame has content`);
    assert.ok(r.intensity > 0.3 && r.intensity < 0.9, `${r.id}: intensity ${r.intensity} of a -21 dBFS tone`);
    assert.equal(r.caption, '');
  }
}

/** Every group in one split, and per label the number of groups per split as splitCounts says. */
export function checkSplits(rows: readonly ResolvedIngestRow[], fractions: SplitFractions): void {
  const groupSplit = new Map<string, string>();
  const groupLabel = new Map<string, string>();
  for (const r of rows) {
    const prev = groupSplit.get(r.group);
    if (prev) assert.equal(r.split, prev, `group ${r.group} spans splits`);
    groupSplit.set(r.group, r.split);
    groupLabel.set(r.group, r.label);
  }
  for (const label of new Set(groupLabel.values())) {
    const groups = [...groupLabel].filter(([, l]) => l === label).map(([g]) => g);
    const per: Record<string, number> = { train: 0, val: 0, test: 0 };
    for (const g of groups) per[groupSplit.get(g)!]! += 1;
    assert.deepEqual(per, splitCounts(groups.length, fractions), `label '${label}'`);
  }
}

export interface RecordedContext<P> extends StageContext<P> {
  metrics: Map<string, number>;
  logs: string[];
  progress: StageContext<P>['progress'] & { calls: number };
}

export function fakeContext<P>(params: P, inputs: Record<string, string>, outputs: Record<string, string>, workDir: string): RecordedContext<P> {
  const metrics = new Map<string, number>();
  const logs: string[] = [];
  const progress = Object.assign((_d: number, _t: number) => { progress.calls += 1; }, { calls: 0 });
  return {
    stageId: 'test', params, inputs, outputs, workDir, gpus: [], signal: new AbortController().signal,
    log: (m) => logs.push(m), progress, metric: (n, v, o) => metrics.set(o?.tags ? `${n}:${Object.values(o.tags).join(',')}` : n, v), metrics, logs,
  };
}
