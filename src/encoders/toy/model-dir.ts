// A toy encoder on disk: a directory with config.json (architecture, tokenizer, front-end statistics) and
// weights.safetensors (named parameters, PyTorch layout). Both are deterministic functions of the trained model.
import * as tf from '@tensorflow/tfjs-core';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParamStore } from '../../compute/param-store.js';
import { saveParams } from './param-specs.js';

export const CONFIG_FILE = 'config.json';
export const WEIGHTS_FILE = 'weights.safetensors';

export async function writeModelDir(dir: string, config: { kind: string }, params?: ParamStore): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
  if (params) saveParams(params, join(dir, WEIGHTS_FILE), config.kind);
}

/** Reads config.json and checks its `kind` and `version`; errors name the file and what was expected. */
export function readModelConfig<T extends { kind: string; version: number }>(dir: string, kind: T['kind'], version: number): T {
  const file = join(dir, CONFIG_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: cannot read the ${kind} model config (${(e as Error).message})`);
  }
  const obj = raw as { kind?: unknown; version?: unknown };
  if (typeof raw !== 'object' || raw === null || obj.kind !== kind) {
    throw new Error(`${file}: expected a '${kind}' model config, found kind '${String(obj?.kind)}'`);
  }
  if (obj.version !== version) throw new Error(`${file}: '${kind}' config version ${String(obj.version)} is not supported (expected ${version})`);
  return raw as T;
}

export function weightsPath(dir: string): string {
  return join(dir, WEIGHTS_FILE);
}

/** Runs `fn` over consecutive chunks of `items` and concatenates the results. */
export async function inChunks<I, O>(items: readonly I[], size: number, fn: (chunk: readonly I[]) => O[] | Promise<O[]>): Promise<O[]> {
  const out: O[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await fn(items.slice(i, i + size))));
  return out;
}

/** Rows of a [B, N] tensor as Float32Arrays (disposes the tensor). */
export function rowsOf(t: tf.Tensor2D): Float32Array[] {
  const [b, n] = t.shape;
  const data = t.dataSync() as Float32Array;
  t.dispose();
  return Array.from({ length: b }, (_, i) => data.slice(i * n, (i + 1) * n));
}

const POSITIVE_INTEGERS = ['steps', 'batchSize', 'jointDim', 'textWidth', 'maxTokens', 'textLayers', 'textHeads', 'groups', 'sampleRate', 'nFft', 'hop', 'nMels'];

/** Defaults overlaid with the caller's options; unknown names and out-of-range values are errors. */
export function resolveOptions<T extends object>(defaults: Readonly<T>, options: Partial<T>, what: string): T {
  for (const key of Object.keys(options)) {
    if (!(key in defaults)) throw new Error(`${what}: unknown option '${key}' (known: ${Object.keys(defaults).join(', ')})`);
  }
  const o = { ...defaults, ...options } as T & Record<string, unknown>;
  const bad = (key: string, expected: string) => new Error(`${what}: option '${key}' must be ${expected}, got ${JSON.stringify(o[key])}`);
  for (const key of POSITIVE_INTEGERS) if (key in o && !(Number.isInteger(o[key]) && (o[key] as number) >= 1)) throw bad(key, 'a positive integer');
  if ('batchSize' in o && (o.batchSize as number) < 2) throw bad('batchSize', 'at least 2 (contrastive batches need negatives)');
  for (const key of ['learningRate', 'temperature', 'clipSeconds']) if (key in o && !((o[key] as number) > 0)) throw bad(key, 'a number > 0');
  if ('warmupSteps' in o && !(Number.isInteger(o.warmupSteps) && (o.warmupSteps as number) >= 0)) throw bad('warmupSteps', 'a non-negative integer');
  if ('labelTextFraction' in o && !((o.labelTextFraction as number) >= 0 && (o.labelTextFraction as number) <= 1)) throw bad('labelTextFraction', 'a number in [0, 1]');
  if ('seed' in o && !(Number.isInteger(o.seed) && (o.seed as number) >= 0)) throw bad('seed', 'a non-negative integer');
  return o;
}
