// Vars loaded from files: a var written as `{$files: <glob or list of globs>, $defaults: {…}}` becomes a
// list of records, one per matching YAML file (sorted by path), each the file's mapping over `$defaults`.
// Every record needs a `name` (it names the record where a matrix expands over the list). With `$defaults`,
// a file may only set `name` and the keys of `$defaults`. The records remember where they came from, so
// a stage parameter filled from a record reports its problems at the record file's line.
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { globSync } from 'tinyglobby';
import type { DiagnosticBag } from './diagnostics.js';
import { displayPath } from './diagnostics.js';
import type { ParamValue, Params, SourcePos } from './pipeline-model.js';
import { NAME_PATTERN, NAME_RULE } from './pipeline-schema.js';
import { closeNames, suggestion } from './suggest.js';
import { YamlSource, type DataPath, type YamlReadOptions } from './yaml-source.js';
import { describeValue } from './zod-issues.js';

export const FILES_KEY = '$files';
export const DEFAULTS_KEY = '$defaults';
/** Characters that cannot be part of a stage id (a record's name becomes part of matrix stage ids). */
const ID_BREAKING = /[\[\],=\s]/;

/** Where the records loaded from files came from, keyed by their content (records are copied freely). */
export class RecordOrigins {
  private readonly byContent = new Map<string, YamlSource>();

  add(record: Params, src: YamlSource): void {
    this.byContent.set(JSON.stringify(record), src);
  }

  /** The file a record (a value equal to one loaded from a file) came from. */
  sourceOf(value: ParamValue | undefined): YamlSource | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    return this.byContent.get(JSON.stringify(value));
  }
}

export function isFileRecordsSpec(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, FILES_KEY);
}

/**
 * A var declared as a `$files` spec and given a path or a list of paths later (by an including file, a
 * profile or --set) selects those files and keeps the declaration's other keys (`$defaults`).
 */
export function withSelectedFiles(declared: unknown, value: unknown): unknown {
  const selects = typeof value === 'string' || (Array.isArray(value) && value.length > 0 && value.every((x) => typeof x === 'string'));
  return isFileRecordsSpec(declared) && selects ? { ...declared, [FILES_KEY]: value } : value;
}

function isMapping(v: unknown): v is Params {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `over` merged onto `base`: mappings key by key, anything else replaced. */
function mergeOver(base: ParamValue, over: ParamValue): ParamValue {
  if (!isMapping(base) || !isMapping(over)) return structuredClone(over);
  const out: Params = structuredClone(base);
  for (const [k, v] of Object.entries(over)) out[k] = Object.hasOwn(base, k) ? mergeOver(base[k]!, v) : structuredClone(v);
  return out;
}

export interface FileRecordsSite {
  /** The file that wrote the spec, and the spec's data path in it (e.g. ['vars', 'ablations']). */
  src: YamlSource;
  path: DataPath;
}

/**
 * The records of one `$files` spec; null when a problem was reported. `varName` is for messages only.
 */
export function loadFileRecords(
  varName: string,
  spec: Record<string, unknown>,
  site: FileRecordsSite | null,
  bag: DiagnosticBag,
  origins: RecordOrigins,
  options: YamlReadOptions & { topFile: string },
): Params[] | null {
  const at = (p: DataPath, which: 'key' | 'value' = 'value'): SourcePos => (site ? site.src.pos([...site.path, ...p], which) : { file: options.topFile, line: 0, col: 0 });
  let ok = true;
  for (const key of Object.keys(spec)) {
    if (key !== FILES_KEY && key !== DEFAULTS_KEY) {
      bag.error(at([key], 'key'), `var "${varName}": unknown key "${key}" in a file list${suggestion(key, [FILES_KEY, DEFAULTS_KEY])}`);
      ok = false;
    }
  }
  const files = spec[FILES_KEY];
  const patterns = typeof files === 'string' ? [files] : files;
  if (!Array.isArray(patterns) || patterns.length === 0 || patterns.some((p) => typeof p !== 'string' || p === '')) {
    bag.error(at([FILES_KEY]), `var "${varName}": ${FILES_KEY} expects a glob or a non-empty list of globs (relative to this file), got ${describeValue(files)}`);
    return null;
  }
  const defaults = spec[DEFAULTS_KEY];
  if (defaults !== undefined && !isMapping(defaults)) {
    bag.error(at([DEFAULTS_KEY]), `var "${varName}": ${DEFAULTS_KEY} expects a mapping of key -> default value, got ${describeValue(defaults)}`);
    return null;
  }
  if (!ok) return null;
  const baseDir = site ? dirname(site.src.file) : dirname(options.topFile);
  const found: string[] = [];
  (patterns as string[]).forEach((pattern, i) => {
    const where = typeof files === 'string' ? at([FILES_KEY]) : at([FILES_KEY, i]);
    const abs = isAbsolute(pattern) ? pattern : resolve(baseDir, pattern);
    // tinyglobby takes forward-slash patterns relative to cwd; match from the filesystem root.
    const matches = globSync(relative('/', abs).split('\\').join('/'), { cwd: '/', absolute: true, onlyFiles: true }).sort();
    if (matches.length === 0) {
      bag.error(where, `var "${varName}": no file matches ${JSON.stringify(pattern)} (looked for ${displayPath(abs)})`);
      ok = false;
    }
    for (const m of matches) if (!found.includes(m)) found.push(m);
  });
  if (!ok) return null;

  const records: Params[] = [];
  const names = new Map<string, string>();
  for (const file of found) {
    const record = readRecord(file, defaults as Params | undefined, varName, bag, options);
    if (!record) {
      ok = false;
      continue;
    }
    const name = record.value.name as string;
    const first = names.get(name);
    if (first !== undefined) {
      bag.error(record.src.pos(['name']), `var "${varName}": name "${name}" is also the name of ${displayPath(first)}`);
      ok = false;
      continue;
    }
    names.set(name, file);
    origins.add(record.value, record.src);
    records.push(record.value);
  }
  return ok ? records : null;
}

function readRecord(file: string, defaults: Params | undefined, varName: string, bag: DiagnosticBag, options: YamlReadOptions): { value: Params; src: YamlSource } | null {
  let src: YamlSource;
  try {
    src = YamlSource.read(file, options);
  } catch (e) {
    bag.error({ file, line: 0, col: 0 }, `cannot read ${displayPath(file)}: ${(e as Error).message}`);
    return null;
  }
  bag.noteFile(file);
  if (src.syntaxErrors.length > 0) {
    for (const d of src.syntaxErrors) bag.add(d);
    return null;
  }
  if (!isMapping(src.data)) {
    bag.error(src.pos([]), `a record of var "${varName}" must be a mapping with at least "name", got ${describeValue(src.data)}`);
    return null;
  }
  const data = src.data;
  let ok = true;
  const name = data.name;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name) || ID_BREAKING.test(name)) {
    bag.error(src.pos(['name'], name === undefined ? 'key' : 'value'), name === undefined ? 'missing required key "name"' : `name: expected ${NAME_RULE}, got ${describeValue(name)}`);
    ok = false;
  }
  if (defaults) {
    const valid = ['name', ...Object.keys(defaults)];
    for (const key of Object.keys(data)) {
      if (!valid.includes(key)) {
        const close = closeNames(key, valid);
        const hint = close.length > 0 ? ` (did you mean ${close.map((c) => `"${c}"`).join(' or ')}?)` : '';
        bag.error(src.pos([key], 'key'), `unknown key "${key}"${hint}; valid keys: ${valid.join(', ')}`);
        ok = false;
      }
    }
  }
  if (!ok) return null;
  return { value: (defaults ? mergeOver(defaults, data) : structuredClone(data)) as Params, src };
}
