// Generic machinery for matching checkpoint keys to model parameters. Model-specific key lists (e.g. the
// diffusers UNet2DConditionModel names for a config) belong with the model, which can enumerate its own
// ParamStore; these helpers filter, rename and compare.
//
// The released SonicDiffusion checkpoints are torch pickles (.pt / .pth). Convert them once with PyTorch:
//   python -c "import torch; from safetensors.torch import save_file; save_file({k: v.contiguous() for k, v in torch.load('landscape.pt', map_location='cpu').items()}, 'landscape.safetensors')"
import type { SafetensorsFile } from './safetensors.js';

export type KeyPredicate = (key: string) => boolean;
export type KeyMap = (key: string) => string | null;

/** The one-liner that converts a torch state-dict pickle to safetensors (printed in errors and the README). */
export function pthToSafetensorsCommand(input: string, output: string): string {
  const q = (s: string) => s.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  return `python -c "import torch; from safetensors.torch import save_file; save_file({k: v.contiguous() for k, v in torch.load('${q(input)}', map_location='cpu').items()}, '${q(output)}')"`;
}

/** Gated audio cross-attention parameters (attn_adapter, norm_adapter, gate_adapter): the 80-tensor checkpoints. */
export const isAdapterKey: KeyPredicate = (key) => key.includes('adapter');

export function keysMatching(file: SafetensorsFile, predicate: KeyPredicate): string[] {
  return file.keys().filter(predicate);
}

/** Maps `prefix + rest` to `rest`; keys without the prefix map to null (skipped). */
export function stripPrefix(prefix: string): KeyMap {
  return (key) => (key.startsWith(prefix) ? key.slice(prefix.length) : null);
}

/** Applies (pattern, replacement) rules in order with String.replace; strings match literally. */
export function renameKeys(rules: Array<[string | RegExp, string]>): KeyMap {
  return (key) => rules.reduce((k, [from, to]) => k.replace(from, to), key);
}

/** Runs key maps left to right; a null from any of them skips the key. */
export function composeKeyMaps(...maps: KeyMap[]): KeyMap {
  return (key) => {
    let k: string | null = key;
    for (const m of maps) {
      if (k === null) return null;
      k = m(k);
    }
    return k;
  };
}

export interface CheckpointEntry {
  key: string;
  dtype: string;
  shape: number[];
  size: number;
}

/** Keys, dtypes and shapes of a checkpoint (no tensor data is read). */
export function describeCheckpoint(file: SafetensorsFile, predicate?: KeyPredicate): { entries: CheckpointEntry[]; tensors: number; parameters: number } {
  const entries = [...file.tensors.entries()]
    .filter(([key]) => !predicate || predicate(key))
    .map(([key, info]) => ({ key, dtype: info.dtype, shape: [...info.shape], size: info.shape.reduce((a, b) => a * b, 1) }));
  return { entries, tensors: entries.length, parameters: entries.reduce((a, e) => a + e.size, 0) };
}

export interface KeyDiff {
  missing: string[]; // expected, absent from the checkpoint
  unexpected: string[]; // in the checkpoint (after mapping), not expected
  misShaped: string[]; // "key: checkpoint [..], expected [..]"
}

/**
 * Compares expected torch names/shapes with a checkpoint, e.g. to check a downloaded file against a model
 * config before building anything. `map` turns checkpoint keys into expected names (null skips).
 */
export function diffKeys(expected: Map<string, number[]>, file: SafetensorsFile, map?: KeyMap): KeyDiff {
  const seen = new Set<string>();
  const diff: KeyDiff = { missing: [], unexpected: [], misShaped: [] };
  for (const [key, info] of file.tensors) {
    const name = map ? map(key) : key;
    if (name === null) continue;
    const shape = expected.get(name);
    if (!shape) {
      diff.unexpected.push(`${key} [${info.shape}]`);
      continue;
    }
    seen.add(name);
    if (shape.join() !== info.shape.join()) diff.misShaped.push(`${key}: checkpoint [${info.shape}], expected [${shape}]`);
  }
  for (const [name, shape] of expected) if (!seen.has(name)) diff.missing.push(`${name} [${shape}]`);
  return diff;
}
