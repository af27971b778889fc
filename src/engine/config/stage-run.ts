// A `run:` command: split (string form), interpolated, with stage references turned into implicit inputs.
import type { DiagnosticBag } from './diagnostics.js';
import { interpolateString, InterpolationError } from './interpolation.js';
import type { Params, SourcePos } from './pipeline-model.js';
import type { PendingInput, RunPlaceholder } from './resolve-types.js';
import { shellSplitWords } from './shell-split.js';
import type { DataPath } from './yaml-source.js';
import { describeValue } from './zod-issues.js';

export function resolveRun(
  run: string | (string | number | boolean)[],
  at: (path: DataPath, which?: 'key' | 'value', index?: number) => SourcePos,
  vars: Params,
  matrix: Params,
  pending: Map<string, PendingInput>,
  placeholders: RunPlaceholder[],
  bag: DiagnosticBag,
): string[] | null {
  // Each word with a way to map an offset in it back to a position in the file.
  let words: { text: string; pos: (index?: number) => SourcePos }[];
  if (typeof run === 'string') {
    const split = shellSplitWords(run);
    if (!Array.isArray(split)) {
      bag.error(at(['run'], 'value', split.index), split.error);
      return null;
    }
    words = split.map((w) => ({
      text: w.text,
      pos: (index?: number) => at(['run'], 'value', w.offsets[Math.min(index ?? 0, w.offsets.length - 1)]),
    }));
  } else {
    words = run.map((w, i) => ({ text: typeof w === 'string' ? w : String(w), pos: (index?: number) => at(['run', i], 'value', index) }));
  }
  let refCount = 0;
  let ok = true;
  const argv: string[] = [];
  for (const { text, pos } of words) {
    try {
      const v = interpolateString(text, {
        vars,
        matrix,
        where: 'run',
        keepEscapes: true,
        reference: (e, whole, index) => {
          if (e.kind === 'stage') {
            const name = `_ref${refCount++}`;
            pending.set(name, { items: [{ ref: e, pos: pos(index) }], list: false, keyPos: pos(index) });
            placeholders.push({ kind: 'inputs', name, whole, pos: pos(index) });
            return `\${{ inputs.${name} }}`;
          }
          placeholders.push({ kind: e.kind, name: e.name, whole, pos: pos(index) });
          return `\${{ ${e.kind}.${e.name} }}`;
        },
      });
      if (Array.isArray(v)) {
        for (const x of v) {
          if (x === null || typeof x === 'object') throw new InterpolationError(`a list spliced into run must hold strings, numbers or booleans, got ${describeValue(x)}`);
          argv.push(String(x));
        }
      } else if (v !== null && typeof v === 'object') {
        throw new InterpolationError(`"${text}" is a mapping; run arguments must be strings`);
      } else argv.push(String(v));
    } catch (e) {
      if (!(e instanceof InterpolationError)) throw e;
      bag.error(pos(e.index), e.message);
      ok = false;
    }
  }
  return ok ? argv : null;
}
