// The one interpolation syntax of pipeline files: `${{ expr }}`, escaped as `$${{`.
//   vars.NAME[.KEY…]               a var (after profiles and --set)
//   matrix.NAME[.KEY…]             this stage instance's matrix value (KEY…: a field of a record value)
//   stages.ID[k=v,…].outputs.NAME  another stage's output (inputs and run only)
//   inputs.NAME / outputs.NAME     run-time paths (run only; left in place for the executor)
import type { ParamValue, Params } from './pipeline-model.js';
import { suggestion } from './suggest.js';

export type Expr =
  | { kind: 'vars'; name: string; keys: string[] }
  | { kind: 'matrix'; name: string; keys: string[] }
  | { kind: 'stage'; stage: string; select: [string, string][] | null; output: string }
  | { kind: 'inputs' | 'outputs'; name: string };

/** `index`: where the expression starts in the template string. */
export type Segment = { text: string } | { expr: Expr; source: string; index: number };

const N = '[A-Za-z_][A-Za-z0-9_-]*';
const VARS_RE = new RegExp(`^vars\\.(${N})((?:\\.${N})*)$`);
const MATRIX_RE = new RegExp(`^matrix\\.(${N})((?:\\.${N})*)$`);
const STAGE_RE = new RegExp(`^stages\\.(${N})(?:\\[([^\\]]*)\\])?\\.outputs\\.(${N})$`);
const IO_RE = new RegExp(`^(inputs|outputs)\\.(${N})$`);
const SELECT_ITEM_RE = new RegExp(`^(${N})=(.+)$`);

const EXPECTED = 'expected vars.NAME, matrix.NAME, stages.ID.outputs.NAME, inputs.NAME or outputs.NAME';

export function parseExpr(body: string): Expr | string {
  const src = body.trim();
  let m = VARS_RE.exec(src);
  if (m) return { kind: 'vars', name: m[1]!, keys: m[2] ? m[2].slice(1).split('.') : [] };
  if ((m = MATRIX_RE.exec(src))) return { kind: 'matrix', name: m[1]!, keys: m[2] ? m[2].slice(1).split('.') : [] };
  if ((m = IO_RE.exec(src))) return { kind: m[1] as 'inputs' | 'outputs', name: m[2]! };
  if ((m = STAGE_RE.exec(src))) {
    let select: [string, string][] | null = null;
    if (m[2] !== undefined) {
      select = [];
      for (const item of m[2].split(',')) {
        const s = SELECT_ITEM_RE.exec(item.trim());
        if (!s) return `malformed matrix selection "[${m[2]}]" in "\${{ ${src} }}": expected [key=value,…]`;
        select.push([s[1]!, s[2]!.trim()]);
      }
    }
    return { kind: 'stage', stage: m[1]!, select, output: m[3]! };
  }
  return `malformed expression "\${{ ${src} }}": ${EXPECTED}`;
}

/** Splits a string into literal text and expressions; throws InterpolationError for malformed input. */
export function parseTemplate(s: string): Segment[] {
  const out: Segment[] = [];
  let text = '';
  let i = 0;
  while (i < s.length) {
    if (s.startsWith('$${{', i)) {
      text += '${{';
      i += 4;
    } else if (s.startsWith('${{', i)) {
      const end = s.indexOf('}}', i + 3);
      if (end < 0) throw new InterpolationError(`unterminated "\${{" in ${JSON.stringify(s.slice(i))} (expected "}}")`, i);
      const expr = parseExpr(s.slice(i + 3, end));
      if (typeof expr === 'string') throw new InterpolationError(expr, i);
      if (text) out.push({ text });
      text = '';
      out.push({ expr, source: s.slice(i, end + 2), index: i });
      i = end + 2;
    } else {
      text += s[i];
      i++;
    }
  }
  if (text || out.length === 0) out.push({ text });
  return out;
}

/** True when `s` holds `${{` that is not escaped. */
export function hasInterpolation(s: string): boolean {
  return s.replaceAll('$${{', '').includes('${{');
}

/** Literal text written back in template form (so a later parse yields the same text). */
export function escapeLiteral(text: string): string {
  return text.replaceAll('${{', () => '$${{');
}

export function exprSource(e: Expr): string {
  switch (e.kind) {
    case 'vars':
      return `vars.${[e.name, ...e.keys].join('.')}`;
    case 'matrix':
      return `matrix.${[e.name, ...e.keys].join('.')}`;
    case 'stage':
      return `stages.${e.stage}${e.select ? `[${e.select.map(([k, v]) => `${k}=${v}`).join(',')}]` : ''}.outputs.${e.output}`;
    default:
      return `${e.kind}.${e.name}`;
  }
}

export interface InterpolationScope {
  vars: Params;
  matrix: Params; // {} outside matrix stages
  /**
   * Handles stages/inputs/outputs expressions where the context allows them: returns the text that
   * replaces the expression (already in template form), or an error message.
   */
  reference?: (
    expr: Extract<Expr, { kind: 'stage' | 'inputs' | 'outputs' }>,
    wholeValue: boolean,
    index: number, // where the expression starts in the string
  ) => string | { error: string };
  /** Where the value is, for messages about references that are not allowed here. */
  where: string;
  /** Keep literal text escaped (`$${{`) because the result is parsed again later (run args). */
  keepEscapes?: boolean;
}

/** A user-facing interpolation problem; `index` is the offset in the string where it starts, if known. */
export class InterpolationError extends Error {
  constructor(
    message: string,
    readonly index?: number,
  ) {
    super(message);
  }
}

function lookup(expr: Expr & { kind: 'vars' | 'matrix' }, scope: InterpolationScope): ParamValue {
  if (expr.kind === 'matrix') {
    if (!(expr.name in scope.matrix)) {
      const keys = Object.keys(scope.matrix);
      throw new InterpolationError(
        keys.length === 0
          ? `"\${{ matrix.${expr.name} }}" used in a stage without a matrix`
          : `unknown matrix key "${expr.name}"${suggestion(expr.name, keys)}`,
      );
    }
    return walk(scope.matrix[expr.name]!, expr, 'matrix value');
  }
  if (!Object.hasOwn(scope.vars, expr.name)) {
    throw new InterpolationError(`unknown var "${expr.name}"${suggestion(expr.name, Object.keys(scope.vars))}`);
  }
  return walk(scope.vars[expr.name]!, expr, 'var');
}

function walk(value: ParamValue, expr: { name: string; keys: string[] }, what: string): ParamValue {
  let v = value;
  let walked = expr.name;
  for (const key of expr.keys) {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, key)) {
      throw new InterpolationError(`${what} "${walked}" has no key "${key}"`);
    }
    v = v[key]!;
    walked += `.${key}`;
  }
  return v;
}

function asText(v: ParamValue, source: string): string {
  if (v === null) return 'null';
  if (typeof v === 'object') {
    throw new InterpolationError(
      `"${source}" is ${Array.isArray(v) ? 'a list' : 'a mapping'}; it can only be used as a whole value`,
    );
  }
  return String(v);
}

/** Runs `f`, attaching the expression's position to an InterpolationError that has none. */
function at<T>(index: number, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof InterpolationError && e.index === undefined) throw new InterpolationError(e.message, index);
    throw e;
  }
}

function expand(seg: Extract<Segment, { expr: Expr }>, whole: boolean, scope: InterpolationScope): string {
  const e = seg.expr;
  if (e.kind === 'vars' || e.kind === 'matrix') return asText(lookup(e, scope), seg.source);
  if (!scope.reference) {
    const allowed = e.kind === 'stage' ? 'inputs and run' : 'run';
    throw new InterpolationError(`"\${{ ${exprSource(e)} }}" is not allowed in ${scope.where}; it is only allowed in ${allowed}`);
  }
  const r = scope.reference(e, whole, seg.index);
  if (typeof r !== 'string') throw new InterpolationError(r.error);
  return r;
}

/**
 * Interpolates one string. A string that is exactly one `${{ vars.… }}` / `${{ matrix.… }}` keeps the
 * value's type; anything else becomes a string. Throws InterpolationError with a user-facing message.
 */
export function interpolateString(s: string, scope: InterpolationScope): ParamValue {
  const segments = parseTemplate(s);
  const only = segments.length === 1 ? segments[0]! : undefined;
  if (only && 'expr' in only && (only.expr.kind === 'vars' || only.expr.kind === 'matrix')) {
    const e = only.expr;
    return at(only.index, () => structuredClone(lookup(e, scope)));
  }
  let out = '';
  for (const seg of segments) {
    if ('text' in seg) out += scope.keepEscapes ? escapeLiteral(seg.text) : seg.text;
    else out += at(seg.index, () => expand(seg, segments.length === 1, scope));
  }
  return out;
}

export interface PathedError {
  path: (string | number)[];
  message: string;
  index?: number; // offset in the string value
}

/** Interpolates every string inside a YAML value (lists and mappings walked), collecting errors by path. */
export function interpolateDeep(value: unknown, scope: InterpolationScope, errors: PathedError[], path: (string | number)[] = []): ParamValue {
  if (typeof value === 'string') {
    try {
      return interpolateString(value, scope);
    } catch (e) {
      if (!(e instanceof InterpolationError)) throw e;
      errors.push({ path, message: e.message, index: e.index });
      return value;
    }
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolateDeep(v, scope, errors, [...path, i]));
  if (value !== null && typeof value === 'object') {
    const out: Params = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolateDeep(v, scope, errors, [...path, k]);
    return out;
  }
  return value as ParamValue;
}

/** Paths of strings that contain an unescaped `${{` (for places where values are literal). */
export function findInterpolations(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return hasInterpolation(value) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => findInterpolations(v, [...path, i]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => findInterpolations(v, [...path, k]));
  }
  return [];
}
