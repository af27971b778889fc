// Turns zod issues into positioned diagnostics with messages written for the person editing the YAML.
import type * as z from 'zod';
import type { Diagnostic } from './pipeline-model.js';
import { NAME_RULE } from './pipeline-schema.js';
import { suggestion } from './suggest.js';
import type { DataPath, YamlSource } from './yaml-source.js';

/** A short description of a value as found in the file, for "got …" messages. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length === 0 ? 'an empty list' : 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return v.length > 60 ? `${JSON.stringify(v.slice(0, 57))}…` : JSON.stringify(v);
  return String(v);
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
};

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

type Def = { type: string; [k: string]: any };
const defOf = (s: unknown): Def => (s as { _zod: { def: Def } })._zod.def;

/** The object schemas a value at `path` may be validated by (several when unions are involved). */
function objectSchemasAt(schema: z.ZodType, path: readonly PropertyKey[]): Def[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
      return objectSchemasAt(def.innerType, path);
    case 'pipe':
      return objectSchemasAt(def.in, path);
    case 'union':
      return (def.options as z.ZodType[]).flatMap((o) => objectSchemasAt(o, path));
    case 'object': {
      if (path.length === 0) return [def];
      const [head, ...rest] = path;
      const child = def.shape[head as string] ?? def.catchall;
      return child ? objectSchemasAt(child, rest) : [];
    }
    case 'record':
      return path.length === 0 ? [] : objectSchemasAt(def.valueType, path.slice(1));
    case 'array':
      return path.length === 0 ? [] : objectSchemasAt(def.element, path.slice(1));
    default:
      return [];
  }
}

/** The keys the object schema(s) at `path` of `schema` accept. */
export function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  return objectSchemasAt(schema, path).flatMap((d) => Object.keys(d.shape as object));
}

/** `key` or `key[2]` for the last key of a path (with the list indices after it). */
function fieldLabel(path: readonly PropertyKey[]): string {
  let i = path.length;
  while (i > 0 && typeof path[i - 1] === 'number') i--;
  if (i === 0) return '';
  return String(path[i - 1]) + path.slice(i).map((n) => `[${String(n)}]`).join('');
}

/**
 * A union that failed in every branch: when all branches but one failed merely on the value's type, the
 * remaining branch's issues say what is really wrong (e.g. a bad item deep inside a list).
 */
function flattenUnions(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union' || !('errors' in issue) || !Array.isArray(issue.errors)) return [issue];
    const relevant = issue.errors.filter((branch) => !branch.every((i) => i.code === 'invalid_type' && i.path.length === 0));
    if (relevant.length !== 1) return [issue];
    return flattenUnions(relevant[0]!.map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as z.core.$ZodIssue));
  });
}

/**
 * Diagnostics for the issues of `schema.safeParse(value)`, where `value` sits at `basePath` in `src`.
 * `label` names the thing for messages about names (e.g. "stage id").
 */
export function issuesToDiagnostics(
  issues: readonly z.core.$ZodIssue[],
  schema: z.ZodType,
  value: unknown,
  src: Pick<YamlSource, 'pos'>,
  basePath: DataPath,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of flattenUnions(issues)) {
    const path = issue.path;
    const full = [...basePath, ...(path as (string | number)[])];
    const at = (p: DataPath, which: 'key' | 'value') => src.pos(p, which);
    const field = fieldLabel(path) || fieldLabel(basePath);
    const prefix = field !== '' ? `${field}: ` : '';
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeys(schema, path);
        for (const key of issue.keys) {
          out.push({ ...at([...full, key], 'key'), message: `unknown key "${key}"${suggestion(key, known)}` });
        }
        break;
      }
      case 'invalid_key': {
        const what = basePath.length === 0 && path.length === 2 && path[0] === 'stages' ? 'stage id' : 'name';
        out.push({ ...at(full, 'key'), message: `invalid ${what} "${String(path[path.length - 1])}": use ${NAME_RULE}` });
        break;
      }
      default: {
        const actual = valueAt(value, path);
        if (actual === undefined && path.length > 0) {
          out.push({ ...at(full, 'key'), message: `missing required key "${String(path[path.length - 1])}"` });
          break;
        }
        // zod's own messages read "Too small: expected number to be >=0"; keep the "expected …" part.
        let message = issue.message.replace(/^(Too small|Too big|Invalid input|Invalid option|Invalid string): (?=expected )/, '');
        if (issue.code === 'invalid_type' && !issue.message.startsWith('expected ')) {
          message = `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
        } else if (issue.code === 'invalid_value' && !issue.message.startsWith('expected ')) {
          message = `expected ${issue.values.length === 1 ? '' : 'one of '}${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
        }
        if (message.startsWith('expected ')) message = `${message}, got ${describeValue(actual)}`;
        out.push({ ...at(full, 'value'), message: `${prefix}${message}` });
      }
    }
  }
  return out;
}
