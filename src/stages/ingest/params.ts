// Parameter pieces shared by the ingest stages, and how a stage finds its dataset root.
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import type { StageContext, StageIODecl } from '../../engine/stage/stage-definition.js';
import { IngestError } from '../../data/ingest/errors.js';
import type { IngestCommonOptions, IngestResult } from '../../data/ingest/run-ingest.js';
import { publishIngestDir } from '../../data/ingest/publish.js';

const fractions = z
  .strictObject({ train: z.number().min(0), val: z.number().min(0), test: z.number().min(0) })
  .refine((f) => f.train + f.val + f.test > 0, { message: 'split fractions must not all be 0' });

export const commonParams = {
  /** Dataset root; relative paths resolve against the `root` input when wired, else the working directory. */
  root: z.string().min(1).optional(),
  frameSize: z.number().int().min(8).max(4096).default(512),
  sampleRate: z.number().int().min(8000).max(192000).default(44100),
  split: fractions.default({ train: 0.8, val: 0.1, test: 0.1 }),
  seed: z.number().int().min(0).max(0xffffffff).default(0),
  /** Keep at most this many pairs (seeded choice), for fixture and smoke runs. */
  maxItems: z.number().int().positive().optional(),
  /** ffmpeg processes at a time (does not change the output). */
  concurrency: z.number().int().min(1).max(64).default(2),
  /**
   * A persistent directory to extract into: complete pairs there survive interrupted or changed runs and
   * are reused; the stage output then gets hard links (or copies) of what the manifest names.
   */
  resumeDir: z.string().min(1).optional(),
};

export const windowSeconds = z.number().positive().max(600).default(10);

export type CommonParams = z.infer<z.ZodObject<typeof commonParams>>;

export const rootInput: Record<string, StageIODecl> = {
  root: { description: 'dataset root directory (e.g. the ingest-fixtures output); overrides or anchors params.root', optional: true },
};

export const datasetOutput: Record<string, StageIODecl> = {
  dataset: { description: 'manifest.csv + audio/ (44.1 kHz mono WAV) + images/ (square PNG) + ingest-report.json/.md' },
};

export function datasetRoot(ctx: StageContext<{ root?: string | undefined }>, stage: string): string {
  const input = ctx.inputs.root;
  const anchor = typeof input === 'string' ? input : undefined;
  const param = ctx.params.root;
  if (!anchor && !param) throw new IngestError(`${stage}: set 'root' (the dataset directory) under 'with:', or wire a 'root' input`);
  if (!param) return anchor!;
  if (isAbsolute(param)) return param;
  return resolve(anchor ?? process.cwd(), param);
}

export function commonOptions(ctx: StageContext<CommonParams>, stage: string): IngestCommonOptions {
  const p = ctx.params;
  return {
    root: datasetRoot(ctx, stage),
    outDir: p.resumeDir ? resolve(p.resumeDir) : ctx.outputs.dataset!,
    frameSize: p.frameSize,
    sampleRate: p.sampleRate,
    splitFractions: p.split,
    seed: p.seed,
    ...(p.maxItems !== undefined ? { maxItems: p.maxItems } : {}),
    concurrency: p.concurrency,
    signal: ctx.signal,
    onProgress: (done, total, label) => ctx.progress(done, total, label),
    log: (m) => ctx.log(m),
  };
}

/** Publish a resumeDir run into the output, then report metrics and log lines. */
export async function finishIngest(ctx: StageContext<CommonParams>, result: IngestResult): Promise<void> {
  if (ctx.params.resumeDir) {
    const n = await publishIngestDir(resolve(ctx.params.resumeDir), ctx.outputs.dataset!);
    ctx.log(`linked ${n} pairs from ${ctx.params.resumeDir} into the output`);
  }
  const r = result.report;
  ctx.metric('pairs', r.pairs);
  ctx.metric('extracted', r.extracted);
  ctx.metric('reused', r.reused);
  ctx.metric('skipped', r.skipped.length);
  for (const [split, n] of Object.entries(r.splits)) ctx.metric('pairs_per_split', n, { tags: { split } });
  for (const s of r.skipped) ctx.log(`skipped ${s.file}${s.id ? ` (${s.id})` : ''}: ${s.reason}`);
  for (const n of r.notes) ctx.log(`note: ${n}`);
}
