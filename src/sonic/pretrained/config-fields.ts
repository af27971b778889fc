// Checking a diffusers config.json field by field against what this implementation computes. Every field the
// diffusers class takes has a rule: a value the TypeScript model reproduces passes, any other is refused by
// name (file, field, value, what is supported). A field silently ignored would change outputs unnoticed:
// `center_input_sample: true` does, by 0.82 on SD-sized inputs.

export type Json = Record<string, unknown>;

/** A config value this implementation cannot reproduce, or a config file it cannot read. */
export class DiffusersConfigError extends Error {
  constructor(
    readonly file: string,
    readonly field: string | null,
    readonly value: unknown,
    readonly supported: string,
  ) {
    super(field === null ? `${file}: ${supported}` : `${file}: field '${field}' is ${show(value)}; ${supported}`);
    this.name = 'DiffusersConfigError';
  }
}

export interface FieldRule {
  /** diffusers' default: what a missing field means. `undefined`: the field is required here. */
  default: unknown;
  /** null when `value` is supported, else what is supported (a sentence fragment: "supported: …"). */
  check(value: unknown, config: Json): string | null;
  /** Why any value is accepted (fields without effect here). */
  note?: string;
}

export type FieldTable = Readonly<Record<string, FieldRule>>;

/** What to do with a field the diffusers class does not have (see docs/using-the-library.md). */
export type UnknownFieldPolicy = 'error' | 'warn';

export interface ReadFieldsOptions {
  unknownFields?: UnknownFieldPolicy;
  /** Receives the warnings of `unknownFields: 'warn'`. */
  onWarning?: (message: string) => void;
}

export function show(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Only diffusers' default reproduces this implementation's computation. */
export function onlyDefault(value: unknown, why = ''): FieldRule {
  return { default: value, check: (v) => (sameJson(v, value) ? null : `supported: only ${show(value)} (the default${why ? `; ${why}` : ''})`) };
}

export function oneOf(defaultValue: unknown, values: readonly unknown[], why = ''): FieldRule {
  return {
    default: defaultValue,
    check: (v) => (values.some((x) => sameJson(v, x)) ? null : `supported: ${values.map(show).join(' or ')}${why ? ` (${why})` : ''}`),
  };
}

/** Accepted with any value because it does not change the computation here (the reason is documentation). */
export function inert(defaultValue: unknown, note: string): FieldRule {
  return { default: defaultValue, check: () => null, note };
}

export function positiveInt(defaultValue: number | undefined): FieldRule {
  return { default: defaultValue, check: (v) => (isPositiveInt(v) ? null : 'supported: a positive integer') };
}

export function positiveNumber(defaultValue: number | undefined): FieldRule {
  return { default: defaultValue, check: (v) => (typeof v === 'number' && v > 0 && Number.isFinite(v) ? null : 'supported: a positive number') };
}

export function anyNumber(defaultValue: number): FieldRule {
  return { default: defaultValue, check: (v) => (typeof v === 'number' && Number.isFinite(v) ? null : 'supported: a number') };
}

export function anyBoolean(defaultValue: boolean, why = ''): FieldRule {
  return { default: defaultValue, check: (v) => (typeof v === 'boolean' ? null : `supported: true or false${why ? ` (${why})` : ''}`) };
}

export function positiveIntList(defaultValue: number[] | undefined): FieldRule {
  return {
    default: defaultValue,
    check: (v) => (Array.isArray(v) && v.length > 0 && v.every(isPositiveInt) ? null : 'supported: a non-empty list of positive integers'),
  };
}

export function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

/**
 * Every field of `json` checked against `table`; missing fields take the table's default. Keys starting
 * with `_` are diffusers' metadata (`_class_name`, `_diffusers_version`, `_name_or_path`, …) and are skipped,
 * except that `_class_name`, when present, must be `className`. Returns the fields with defaults filled in.
 */
export function readFields(json: unknown, file: string, className: string, table: FieldTable, options: ReadFieldsOptions = {}): Json {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new DiffusersConfigError(file, null, json, `expected a JSON object (a diffusers ${className} config)`);
  }
  const config = json as Json;
  if ('_class_name' in config && config._class_name !== className) {
    throw new DiffusersConfigError(file, '_class_name', config._class_name, `supported: ${show(className)}`);
  }
  const out: Json = {};
  for (const [field, rule] of Object.entries(table)) {
    const value = field in config ? config[field] : rule.default;
    if (value === undefined) throw new DiffusersConfigError(file, field, undefined, 'this field is required');
    out[field] = value;
  }
  for (const [field, rule] of Object.entries(table)) {
    const problem = rule.check(out[field], out);
    if (problem !== null) throw new DiffusersConfigError(file, field, out[field], problem);
  }
  const unknown = Object.keys(config).filter((k) => !k.startsWith('_') && !(k in table));
  if (unknown.length > 0) {
    const what = `${unknown.map((k) => `'${k}'`).join(', ')} ${unknown.length === 1 ? 'is not a field' : 'are not fields'} of diffusers' ${className} (as of diffusers 0.42)`;
    if ((options.unknownFields ?? 'error') === 'error') {
      throw new DiffusersConfigError(file, null, undefined, `${what}; a field this loader does not know may change the computation, so it is refused (pass unknownFields: 'warn' to load anyway)`);
    }
    (options.onWarning ?? ((m: string) => process.emitWarning(m, 'SonicDiffusionConfigWarning')))(`${file}: ${what}; ignored`);
  }
  return out;
}
