// The part every dataset shares: limit, extract (or reuse) the planned pairs a few at a time, assign
// splits, write manifest.csv and the ingest report.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../media/atomic-write.js';
import { FfmpegMissingError, MediaDecodeError, requireFfmpeg } from '../media/ffmpeg.js';
import { hashString } from '../sonictoy/prng.js';
import type { Split } from '../manifest/index.js';
import { IngestError } from './errors.js';
import { INGEST_DOMAINS, type IngestSource } from './labels.js';
import { ingestManifestCsv, type IngestManifestRow } from './manifest.js';
import { extractPair, pairAudioPath, pairImagePath, type PairPlan } from './pair-files.js';
import { writeIngestReport, REPORT_JSON, type IngestReport, type SkippedEntry } from './report.js';
import { assignSplits, type SplitFractions } from './splits.js';
import { isDirectory } from './walk.js';

export interface IngestCommonOptions {
  /** The dataset root (see the layouts in layouts.ts). */
  root: string;
  /** Where manifest.csv, audio/, images/ and the report go; an earlier run's complete pairs are reused. */
  outDir: string;
  /** Output audio rate (mono WAV). Default 44100. */
  sampleRate?: number;
  /** Output frames are center-cropped squares resized to this. Default 512. */
  frameSize?: number;
  /** Default train 0.8, val 0.1, test 0.1. */
  splitFractions?: SplitFractions;
  seed?: number;
  /** Keep at most this many pairs (a seeded choice spread over the dataset), for fixture and smoke runs. */
  maxItems?: number;
  /** ffmpeg processes at a time. Default 2. */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, label?: string) => void;
  log?: (message: string) => void;
}

export const INGEST_DEFAULTS = {
  sampleRate: 44100,
  frameSize: 512,
  splitFractions: { train: 0.8, val: 0.1, test: 0.1 },
  seed: 0,
  concurrency: 2,
  windowSeconds: 10,
} as const;

export interface PlannedPair extends PairPlan {
  source: IngestSource;
  label: string;
  group: string;
  /** Source path relative to the root. */
  origin: string;
  /** Extra names official split lists may use for this pair. */
  listKeys?: string[];
}

export interface IngestPlan {
  dataset: IngestReport['dataset'];
  pairs: PlannedPair[];
  skipped: SkippedEntry[];
  filtered: Record<string, number>;
  notes: string[];
  official?: ReadonlyMap<string, Split>;
  options: Record<string, unknown>;
}

export interface IngestResult {
  manifestPath: string;
  reportPath: string;
  report: IngestReport;
  rows: IngestManifestRow[];
}

export function checkCommonOptions(o: IngestCommonOptions): void {
  const int = (name: string, v: number | undefined, min: number, max: number) => {
    if (v !== undefined && (!Number.isInteger(v) || v < min || v > max)) throw new IngestError(`ingest: '${name}' must be an integer in [${min}, ${max}], got ${v}`);
  };
  if (!o.root) throw new IngestError("ingest: 'root' (the dataset directory) is required");
  if (!o.outDir) throw new IngestError("ingest: 'outDir' is required");
  int('sampleRate', o.sampleRate, 8000, 192000);
  int('frameSize', o.frameSize, 8, 4096);
  int('seed', o.seed, 0, 0xffffffff);
  int('maxItems', o.maxItems, 1, Number.MAX_SAFE_INTEGER);
  int('concurrency', o.concurrency, 1, 64);
  const f = o.splitFractions;
  if (f && (![f.train, f.val, f.test].every((x) => Number.isFinite(x) && x >= 0) || f.train + f.val + f.test <= 0)) {
    throw new IngestError(`ingest: 'splitFractions' must be non-negative numbers with a positive sum, got ${JSON.stringify(f)}`);
  }
}

/** A clear error naming the expected layout when the root is missing. */
export function requireRoot(dataset: string, root: string, layout: string): void {
  if (!isDirectory(root)) throw new IngestError(`${dataset}: dataset root '${root}' does not exist or is not a directory. Expected layout:\n${layout}`);
}

/** Run `fn` over items with at most `limit` running at once; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>, onEach?: () => void): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!, i);
      } finally {
        onEach?.();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** A progress callback for a phase: call the returned function once per finished item. */
export function phaseProgress(o: IngestCommonOptions, total: number, label: string): () => void {
  let done = 0;
  o.onProgress?.(0, total, label);
  return () => o.onProgress?.(++done, total, label);
}

/** Media problems become report entries; anything else (missing ffmpeg, cancellation, bugs) propagates. */
export function mediaReason(e: unknown): string {
  if (e instanceof MediaDecodeError) return e.reason;
  throw e;
}

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

export async function runIngest(plan: IngestPlan, o: IngestCommonOptions): Promise<IngestResult> {
  const sampleRate = o.sampleRate ?? INGEST_DEFAULTS.sampleRate;
  const frameSize = o.frameSize ?? INGEST_DEFAULTS.frameSize;
  const seed = o.seed ?? INGEST_DEFAULTS.seed;
  const fractions = o.splitFractions ?? INGEST_DEFAULTS.splitFractions;
  const concurrency = o.concurrency ?? INGEST_DEFAULTS.concurrency;
  const log = o.log ?? (() => {});

  const origins = new Map<string, string>();
  for (const p of plan.pairs) {
    const other = origins.get(p.id);
    if (other !== undefined) throw new IngestError(`${plan.dataset}: '${other}' and '${p.origin}' both give the pair id '${p.id}'; rename one of them`);
    origins.set(p.id, p.origin);
  }
  let pairs = [...plan.pairs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let limitedOut = 0;
  if (o.maxItems !== undefined && pairs.length > o.maxItems) {
    const keep = new Set(pairs.map((p) => ({ id: p.id, h: hashString(`limit/${seed}/${p.id}`) })).sort((a, b) => a.h - b.h || (a.id < b.id ? -1 : 1)).slice(0, o.maxItems).map((x) => x.id));
    limitedOut = pairs.length - keep.size;
    pairs = pairs.filter((p) => keep.has(p.id));
    log(`maxItems ${o.maxItems}: keeping ${pairs.length} of ${pairs.length + limitedOut} pairs`);
  }

  await mkdir(join(o.outDir, 'audio'), { recursive: true });
  await mkdir(join(o.outDir, 'images'), { recursive: true });
  const skipped = [...plan.skipped];
  const results = await mapLimit(pairs, concurrency, async (p) => {
    if (o.signal?.aborted) throw o.signal.reason instanceof Error ? o.signal.reason : new Error('ingest cancelled');
    try {
      return await extractPair(p, { outDir: o.outDir, sampleRate, frameSize, ...(o.signal ? { signal: o.signal } : {}) });
    } catch (e) {
      if (e instanceof FfmpegMissingError) throw e;
      skipped.push({ file: p.origin, id: p.id, reason: mediaReason(e) });
      return undefined;
    }
  }, phaseProgress(o, pairs.length, 'pairs'));

  const made = pairs.flatMap((p, i) => (results[i] ? [{ p, r: results[i]! }] : []));
  const { split, listed } = assignSplits(made.map(({ p }) => ({ id: p.id, group: p.group, label: p.label, ...(p.listKeys ? { listKeys: p.listKeys } : {}) })), {
    fractions, seed, ...(plan.official ? { official: plan.official } : {}),
  });
  const rows: IngestManifestRow[] = made.map(({ p, r }) => ({
    id: p.id, domain: INGEST_DOMAINS[p.source], label: p.label, caption: '', audio: pairAudioPath(p.id), image: pairImagePath(p.id),
    split: split.get(p.id)!, intensity: r.intensity, source: p.source, origin: p.origin, start: Math.round(p.start * 1000) / 1000,
    duration: Math.round(r.duration * 1e6) / 1e6, group: p.group,
  }));
  const manifestPath = join(o.outDir, 'manifest.csv');
  await writeFileAtomic(manifestPath, Buffer.from(ingestManifestCsv(rows), 'utf8'));
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.id ?? '') < (b.id ?? '') ? -1 : 1));
  const report: IngestReport = {
    dataset: plan.dataset,
    root: o.root,
    pairs: rows.length,
    extracted: made.filter(({ r }) => !r.reused).length,
    reused: made.filter(({ r }) => r.reused).length,
    skipped,
    filtered: Object.fromEntries(Object.entries(plan.filtered).sort(([a], [b]) => (a < b ? -1 : 1))),
    splits: countBy(rows.map((r) => r.split)),
    labels: countBy(rows.map((r) => r.label)),
    limitedOut,
    officialSplit: listed,
    notes: plan.notes,
    options: { ...plan.options, sampleRate, frameSize, seed, splitFractions: fractions, ...(o.maxItems !== undefined ? { maxItems: o.maxItems } : {}) },
  };
  await writeIngestReport(o.outDir, report);
  log(`${plan.dataset}: ${rows.length} pairs (${report.extracted} extracted, ${report.reused} reused), ${skipped.length} skipped`);
  return { manifestPath, reportPath: join(o.outDir, REPORT_JSON), report, rows };
}

/** Check the common options, the root and ffmpeg before any work. */
export async function prepareIngest(dataset: string, o: IngestCommonOptions, layout: string): Promise<void> {
  checkCommonOptions(o);
  requireRoot(dataset, o.root, layout);
  await requireFfmpeg();
}
