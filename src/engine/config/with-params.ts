// A `uses` stage's `with:` params: interpolated, `$merge`d and checked against the stage's params schema.
//   with:
//     steps: 100
//     $merge: "${{ matrix.variant.train }}"   # a mapping (or a list of them) merged over the keys written here
// A value that came whole from a record loaded from a file (a `$files` var, through `${{ matrix.… }}`) is
// checked where it was written: its problems are reported at the record file's line, and an unknown key
// lists the keys the stage takes.
import type { StageDefinition } from '../stage/stage-definition.js';
import type { DiagnosticBag } from './diagnostics.js';
import type { RecordOrigins } from './file-records.js';
import { interpolateDeep, parseTemplate, type InterpolationScope, type PathedError } from './interpolation.js';
import type { ParamValue, Params, SourcePos } from './pipeline-model.js';
import { isRecord } from './resolve-types.js';
import type { DataPath, YamlSource } from './yaml-source.js';
import { describeValue, issuesToDiagnostics, knownKeys } from './zod-issues.js';

export const MERGE_KEY = '$merge';

/** A part of the params that came from a record file: params path → the data path in that file. */
interface Origin {
  at: (string | number)[];
  src: YamlSource;
  dataPath: (string | number)[];
}

function mergeOver(base: ParamValue | undefined, over: ParamValue): ParamValue {
  if (!isRecord(base) || !isRecord(over)) return structuredClone(over);
  const out: Params = structuredClone(base) as Params;
  for (const [k, v] of Object.entries(over)) out[k] = mergeOver(base[k] as ParamValue | undefined, v as ParamValue);
  return out;
}

/** The record file behind a string that is exactly one `${{ matrix.KEY.field… }}`, and the path in it. */
function recordOrigin(text: unknown, scope: InterpolationScope, origins: RecordOrigins | undefined): { src: YamlSource; dataPath: string[] } | null {
  if (!origins || typeof text !== 'string') return null;
  let segments;
  try {
    segments = parseTemplate(text);
  } catch {
    return null;
  }
  const only = segments.length === 1 ? segments[0]! : undefined;
  if (!only || !('expr' in only) || only.expr.kind !== 'matrix') return null;
  const src = origins.sourceOf(scope.matrix[only.expr.name]);
  return src ? { src, dataPath: only.expr.keys } : null;
}

function collectOrigins(raw: unknown, path: (string | number)[], scope: InterpolationScope, origins: RecordOrigins | undefined, out: Origin[]): void {
  const o = recordOrigin(raw, scope, origins);
  if (o) out.push({ at: path, ...o });
  else if (Array.isArray(raw)) raw.forEach((v, i) => collectOrigins(v, [...path, i], scope, origins, out));
  else if (isRecord(raw)) for (const [k, v] of Object.entries(raw)) collectOrigins(v, [...path, k], scope, origins, out);
}

const startsWith = (path: readonly PropertyKey[], prefix: readonly PropertyKey[]) => prefix.every((p, i) => path[i] === p);

export function resolveWithParams(
  raw: Record<string, unknown>,
  stagePath: DataPath,
  src: YamlSource,
  def: StageDefinition | undefined,
  scope: InterpolationScope,
  bag: DiagnosticBag,
  origins: RecordOrigins | undefined,
): Params {
  const written = raw.with;
  const withPath = [...stagePath, 'with'];
  if (written === undefined && !def) return {};
  const own = isRecord(written) ? Object.fromEntries(Object.entries(written).filter(([k]) => k !== MERGE_KEY)) : {};
  const errors: PathedError[] = [];
  let params = interpolateDeep(own, scope, errors) as Params;
  for (const e of errors) bag.error(src.pos([...withPath, ...e.path], 'value', e.index), e.message);
  if (errors.length > 0) return {};

  const found: Origin[] = [];
  collectOrigins(own, [], scope, origins, found);
  /** Keys that came from a $merge without a record file: reported at the $merge expression. */
  const mergedAt = new Map<string, SourcePos>();
  const merge = isRecord(written) ? written[MERGE_KEY] : undefined;
  if (merge !== undefined) {
    const items = Array.isArray(merge) ? merge.map((m, i) => ({ m, path: [...withPath, MERGE_KEY, i] })) : [{ m: merge, path: [...withPath, MERGE_KEY] }];
    for (const { m, path } of items) {
      const itemErrors: PathedError[] = [];
      const value = interpolateDeep(m, scope, itemErrors);
      for (const e of itemErrors) bag.error(src.pos([...path, ...e.path], 'value', e.index), e.message);
      if (itemErrors.length > 0) return {};
      if (!isRecord(value)) {
        bag.error(src.pos(path), `${MERGE_KEY}: expected a mapping of params (or a list of them), got ${describeValue(value)}`);
        return {};
      }
      params = mergeOver(params, value) as Params;
      const o = recordOrigin(m, scope, origins);
      for (const k of Object.keys(value)) {
        if (o) found.push({ at: [k], src: o.src, dataPath: [...o.dataPath, k] });
        else mergedAt.set(k, src.pos(path));
      }
    }
  }
  if (!def) return params;

  const parsed = def.params.safeParse(params);
  if (parsed.success) return (parsed.data ?? {}) as Params;
  for (const issue of parsed.error.issues) {
    const path = issue.path as (string | number)[];
    const origin = found.filter((o) => startsWith(path, o.at) || (issue.code === 'unrecognized_keys' && startsWith([...path, ...issue.keys.slice(0, 1)], o.at))).sort((a, b) => b.at.length - a.at.length)[0];
    if (origin) {
      // Positions inside the record file: params path `at/rest` is `dataPath/rest` there.
      const fileSrc = { pos: (p: DataPath, which?: 'key' | 'value', index?: number) => origin.src.pos([...origin.dataPath, ...p.slice(withPath.length + origin.at.length)], which, index) };
      for (const d of issuesToDiagnostics([issue], def.params, params, fileSrc, withPath)) {
        const valid = issue.code === 'unrecognized_keys' ? `; valid keys: ${knownKeys(def.params, path).join(', ')}` : '';
        bag.add({ ...d, message: `${d.message}${valid} (params of stage "${def.name}", used by ${stagePath[stagePath.length - 1]})` });
      }
      continue;
    }
    const key = issue.code === 'unrecognized_keys' ? issue.keys[0]! : path[0];
    const mergedPos = path.length === 0 && issue.code !== 'unrecognized_keys' ? undefined : mergedAt.get(String(key));
    for (const d of issuesToDiagnostics([issue], def.params, params, src, written === undefined ? [...stagePath] : withPath)) {
      bag.add({ ...d, ...(mergedPos ?? {}), message: `with: ${d.message}` });
    }
  }
  return {};
}
