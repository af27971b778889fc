// Matrix expansion: one instance per combination of values (first key varies slowest), minus `exclude`.
// A value may be a record (a mapping with a string `name`, e.g. from a `$files` var): its name stands for it
// in stage ids, tags and `[key=value]` selections, `${{ matrix.KEY.field }}` reads its fields, and an
// `exclude` entry may match it by fields (`{ablation: {base: false}}`).
import type { DiagnosticBag } from './diagnostics.js';
import { interpolateString, InterpolationError } from './interpolation.js';
import type { ParamValue, Params } from './pipeline-model.js';
import { NAME_PATTERN, NAME_RULE } from './pipeline-schema.js';
import { describeValue } from './zod-issues.js';
import { suggestion } from './suggest.js';
import type { StageDefinitionSite } from './load-sources.js';
import { DEFAULT_LIMITS, limitEnv } from './input-limits.js';

export interface MatrixInstance {
  id: string;
  /** Scalars: the value itself; records: their name. */
  values: Params;
  /** The values as given (records whole), for interpolation. */
  records: Params;
}

function isRecordValue(v: unknown): v is Params & { name: string } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as Params).name === 'string';
}

/** How a matrix value appears in ids, tags and selections. */
export function matrixValueName(v: ParamValue): string {
  return isRecordValue(v) ? v.name : String(v);
}

/** Whether a matrix value matches an exclude entry's value: equal scalars, or a record with all those fields. */
function excludeMatches(value: ParamValue, want: unknown): boolean {
  if (want !== null && typeof want === 'object' && !Array.isArray(want)) {
    if (!isRecordValue(value)) return false;
    return Object.entries(want).every(([k, w]) => Object.hasOwn(value, k) && JSON.stringify(value[k]) === JSON.stringify(w));
  }
  return matrixValueName(value) === String(want);
}

const ID_BREAKING = /[\[\],=\s]/;

export function matrixLabel(values: Params): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${matrixValueName(v)}`)
    .join(',');
}

/**
 * The instances of a stage (one, with no values, when it has no matrix); null when the matrix is invalid or
 * has more than `maxCombinations` combinations (counted before `exclude`, so none are built).
 */
export function expandMatrix(
  site: StageDefinitionSite,
  vars: Params,
  bag: DiagnosticBag,
  maxCombinations: number = DEFAULT_LIMITS.maxMatrixCombinations,
): MatrixInstance[] | null {
  const matrix = site.raw.matrix as Record<string, unknown> | undefined;
  if (matrix === undefined) return [{ id: site.id, values: {}, records: {} }];
  const base = ['stages', site.id, 'matrix'];
  const pos = (path: (string | number)[], which: 'key' | 'value' = 'value') => site.src.pos([...base, ...path], which);
  let ok = true;
  const axes: [string, ParamValue[]][] = [];
  for (const [key, raw] of Object.entries(matrix)) {
    if (key === 'exclude') continue;
    if (!NAME_PATTERN.test(key)) {
      bag.error(pos([key], 'key'), `invalid matrix key "${key}": use ${NAME_RULE}`);
      ok = false;
      continue;
    }
    let values: unknown = raw;
    if (typeof raw === 'string') {
      try {
        values = interpolateString(raw, { vars, matrix: {}, where: 'matrix values' });
      } catch (e) {
        if (!(e instanceof InterpolationError)) throw e;
        bag.error(site.src.pos([...base, key], 'value', e.index), e.message);
        ok = false;
        continue;
      }
      if (!Array.isArray(values) || values.length === 0) {
        bag.error(pos([key]), `${key}: expected a non-empty list of values, got ${describeValue(values)}`);
        ok = false;
        continue;
      }
    }
    const list = values as unknown[];
    list.forEach((v, i) => {
      const at = typeof raw === 'string' ? pos([key]) : pos([key, i]);
      if (v === null || (typeof v === 'object' && !isRecordValue(v))) {
        bag.error(at, `${key}: matrix values must be strings, numbers, booleans or records with a "name", got ${describeValue(v)}`);
        ok = false;
      } else if (ID_BREAKING.test(matrixValueName(v as ParamValue))) {
        bag.error(at, `${key}: matrix value ${JSON.stringify(matrixValueName(v as ParamValue))} cannot be part of a stage id (no spaces, ",", "=", "[" or "]")`);
        ok = false;
      }
    });
    const seen = new Set<string>();
    list.forEach((v, i) => {
      const s = matrixValueName(v as ParamValue);
      if (seen.has(s)) {
        bag.error(typeof raw === 'string' ? pos([key]) : pos([key, i]), `${key}: duplicate matrix value ${JSON.stringify(s)} (two instances would get the same stage id)`);
        ok = false;
      }
      seen.add(s);
    });
    axes.push([key, list as ParamValue[]]);
  }
  if (axes.length === 0 && ok) {
    bag.error(site.src.pos(base, 'key'), 'matrix needs at least one key with a list of values');
    return null;
  }
  if (!ok) return null;
  const count = axes.reduce((n, [, values]) => n * values.length, 1);
  if (count > maxCombinations) {
    const product = axes.map(([k, values]) => `${k} (${values.length})`).join(' × ');
    bag.error(
      site.src.pos(base, 'key'),
      `matrix of stage "${site.id}" has ${count} combinations (${product}); at most ${maxCombinations} are allowed (${limitEnv('maxMatrixCombinations')} raises the limit)`,
    );
    return null;
  }

  let combos: Params[] = [{}];
  for (const [key, values] of axes) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));

  const exclude = (matrix.exclude ?? []) as Record<string, unknown>[];
  const keys = axes.map(([k]) => k);
  exclude.forEach((entry, i) => {
    let valid = true;
    for (const k of Object.keys(entry)) {
      if (!keys.includes(k)) {
        bag.error(pos(['exclude', i, k], 'key'), `exclude: unknown matrix key "${k}"${suggestion(k, keys)}`);
        valid = false;
      }
    }
    // A value missing from a literal list is a typo; with a list from a var (profiles) it may be absent.
    for (const [k, v] of Object.entries(entry)) {
      if (valid && typeof matrix[k] !== 'string' && !(axes.find(([a]) => a === k)![1]).some((x) => excludeMatches(x, v))) {
        bag.error(pos(['exclude', i, k]), `exclude: ${k}=${v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v)} is not one of the matrix values${suggestion(String(v), axes.find(([a]) => a === k)![1].map(matrixValueName))}`);
        valid = false;
      }
    }
    if (!valid) {
      ok = false;
      return;
    }
    const matches = (c: Params) => Object.entries(entry).every(([k, v]) => excludeMatches(c[k]!, v));
    combos = combos.filter((c) => !matches(c));
  });
  if (!ok) return null;
  if (combos.length === 0) {
    bag.error(site.src.pos(base, 'key'), 'matrix excludes every combination');
    return null;
  }
  return combos.map((records) => ({
    id: `${site.id}[${matrixLabel(records)}]`,
    values: Object.fromEntries(Object.entries(records).map(([k, v]) => [k, isRecordValue(v) ? v.name : v])),
    records,
  }));
}
