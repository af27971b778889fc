// The `embeddings` artifact of the embed stage, read back as host arrays.
import { join } from 'node:path';
import type { DatasetSplit } from '../common/dataset.js';
import { readJson } from '../common/json-file.js';
import { readMatrices, rowsOfMatrix } from '../common/tensor-file.js';

export const EMBEDDINGS_FILE = 'embeddings.safetensors';
export const EMBEDDINGS_INDEX = 'index.json';

export interface EmbeddingsIndex {
  ids: string[];
  domains: string[];
  labels: string[];
  splits: DatasetSplit[];
  classes: Record<string, string[]>;
  labelTokenRows: string[];
  audioDim: number;
  textTokens: number;
  textWidth: number;
  audioEncoder: string;
  textEncoder: string;
}

export interface Embeddings extends EmbeddingsIndex {
  audio: Float32Array[];
  captionTokens: Float32Array[];
  nullText: Float32Array;
  labelTokens: Map<string, Float32Array>;
}

export function readEmbeddings(dir: string): Embeddings {
  const index = readJson<EmbeddingsIndex>(join(dir, EMBEDDINGS_INDEX), 'the embeddings index');
  const m = readMatrices(join(dir, EMBEDDINGS_FILE));
  const need = (name: string) => {
    const t = m.get(name);
    if (!t) throw new Error(`${join(dir, EMBEDDINGS_FILE)}: tensor '${name}' is missing`);
    return t;
  };
  const labelRows = m.has('label_tokens') ? rowsOfMatrix(m.get('label_tokens')!) : [];
  return {
    ...index,
    audio: rowsOfMatrix(need('audio')),
    captionTokens: rowsOfMatrix(need('caption_tokens')),
    nullText: rowsOfMatrix(need('null_text'))[0]!,
    labelTokens: new Map(index.labelTokenRows.map((l, i) => [l, labelRows[i]!])),
  };
}

/** Row indices of one domain (and split). */
export function indicesOf(e: EmbeddingsIndex, domain: string, split?: DatasetSplit): number[] {
  const out: number[] = [];
  e.domains.forEach((d, i) => {
    if (d === domain && (split === undefined || e.splits[i] === split)) out.push(i);
  });
  return out;
}
