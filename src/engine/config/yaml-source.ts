// One parsed YAML file with the means to map a data path (['stages', 'gen', 'run', 2]) back to line:col.
//
// Parsing is the largest cost of loading a big pipeline, so a file's data can come from a parse cache
// (JSON keyed by the SHA-256 of the text and the input limits). Such a source parses the YAML document only
// when a position is first read: pos() then returns positions whose line and col are computed on access, so
// a pipeline that loads without diagnostics never parses its YAML twice.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Node, Pair, Scalar, YAMLMap } from 'yaml';
import { DEFAULT_LIMITS, type YamlLimits } from './input-limits.js';
import type { Diagnostic, SourcePos } from './pipeline-model.js';
import { readYamlFileText } from './yaml-file-text.js';
import { yaml } from './yaml-module.js';
import { parseYaml, parseYamlData, type ParsedYaml, type YamlProblem } from './yaml-reader.js';

export type DataPath = readonly (string | number)[];

interface KeyIndex {
  own: Map<string, Pair>;
  merges: Pair[];
}

export interface YamlReadOptions {
  /** Directory of the parse cache; none: always parse. */
  cacheDir?: string;
  /** Input limits (file size, nesting, list length, alias expansion); default DEFAULT_LIMITS. */
  limits?: YamlLimits;
}

/** Changes whenever the cached form or the parse options change. */
const CACHE_FORMAT = 'sonic-yaml-cache-2';
/** The cache keeps this many files (each distinct pipeline text is one); older ones are removed. */
const CACHE_MAX_ENTRIES = 64;

export class YamlSource {
  readonly data: unknown;
  /** Problems that leave the file without data: size, encoding, syntax, limits, aliases. */
  readonly syntaxErrors: Diagnostic[];
  private parsedYaml: ParsedYaml | undefined;
  private readonly keyIndexes = new WeakMap<YAMLMap, KeyIndex>();

  private constructor(
    readonly file: string,
    private readonly text: string,
    private readonly limits: YamlLimits,
    cached?: { data: unknown },
  ) {
    if (cached !== undefined) {
      this.data = cached.data;
      this.syntaxErrors = [];
      return;
    }
    const { parsed, data, problems } = parseYamlData(text, limits);
    this.parsedYaml = parsed;
    this.syntaxErrors = problems.map((p) => ({ file, line: p.line, col: p.col, message: p.message }));
    this.data = problems.length === 0 ? data : undefined;
  }

  /**
   * Reads and parses `file` (absolute). Throws only for I/O errors; YAML errors land in syntaxErrors. With
   * a cacheDir, data parsed before from the same text is reused, and fresh data is stored there.
   */
  static read(file: string, options: YamlReadOptions = {}): YamlSource {
    const limits = options.limits ?? DEFAULT_LIMITS;
    const read = readYamlFileText(file, limits);
    if (read.problem) return YamlSource.unreadable(file, read.problem, limits);
    const text = read.text;
    if (options.cacheDir === undefined) return new YamlSource(file, text, limits);
    const key = createHash('sha256').update(CACHE_FORMAT).update('\0').update(limitsKey(limits)).update('\0').update(text).digest('hex');
    const entry = join(options.cacheDir, `${key}.json`);
    const cached = readCacheEntry(entry);
    if (cached !== undefined) return new YamlSource(file, text, limits, cached);
    const src = new YamlSource(file, text, limits);
    if (src.syntaxErrors.length === 0 && isJsonSafe(src.data)) writeCacheEntry(options.cacheDir, entry, src.data);
    return src;
  }

  static fromText(file: string, text: string, limits: YamlLimits = DEFAULT_LIMITS): YamlSource {
    return new YamlSource(file, text, limits);
  }

  /** A file refused before parsing (too large, not UTF-8): no data, one problem. */
  private static unreadable(file: string, problem: YamlProblem, limits: YamlLimits): YamlSource {
    const src = new YamlSource(file, '', limits, { data: undefined });
    src.syntaxErrors.push({ file, line: problem.line, col: problem.col, message: problem.message });
    return src;
  }

  /** The YAML document and its line index, parsed on first use for a source whose data came from the cache. */
  private parsed(): ParsedYaml {
    if (this.parsedYaml === undefined) {
      const { parsed } = parseYaml(this.text, this.limits);
      if (parsed === undefined) throw new Error(`${this.file}: cached YAML no longer parses within the limits`);
      this.parsedYaml = parsed;
    }
    return this.parsedYaml;
  }

  /**
   * Position of the node at `path`: its key (`which = 'key'`, for unknown or misnamed keys) or its value.
   * A path that does not exist maps to the deepest existing key on the way (e.g. the mapping that lacks a
   * required key).
   */
  pos(path: DataPath, which: 'key' | 'value' = 'value', index?: number): SourcePos {
    if (this.parsedYaml !== undefined) return { file: this.file, ...this.lineCol(path, which, index) };
    let at: { line: number; col: number } | undefined;
    const get = () => (at ??= this.lineCol(path, which, index));
    return Object.defineProperties({ file: this.file } as SourcePos, {
      line: { get: () => get().line, enumerable: true },
      col: { get: () => get().col, enumerable: true },
    });
  }

  private lineCol(path: DataPath, which: 'key' | 'value', index: number | undefined): { line: number; col: number } {
    const { doc, lines } = this.parsed();
    const { isAlias, isMap, isScalar, isSeq } = yaml();
    let node: unknown = doc.contents;
    let keyNode: Node | null = null;
    let complete = true;
    for (const seg of path) {
      if (isAlias(node)) node = node.resolve(doc);
      if (isMap(node)) {
        const pair = this.findPair(node, String(seg));
        if (!pair) {
          complete = false;
          break;
        }
        keyNode = pair.key as Node;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
        keyNode = null;
        node = node.items[seg];
      } else {
        complete = false;
        break;
      }
    }
    const valueNode = isEmptyScalar(node) ? null : (node as Node | null);
    const chosen = which === 'key' || !complete ? (keyNode ?? valueNode) : (valueNode ?? keyNode);
    let offset = chosen?.range?.[0] ?? 0;
    if (index !== undefined && complete && chosen === valueNode && isScalar(valueNode)) {
      offset = this.offsetInScalar(valueNode, index) ?? offset;
    }
    return lines.linePos(offset);
  }

  /** The pair for `key` in a mapping, looking through `<<: *anchor` merges (own keys first). */
  private findPair(map: YAMLMap, key: string, depth = 0): Pair | undefined {
    const index = this.keyIndex(map);
    const own = index.own.get(key);
    if (own || depth > 10) return own;
    for (const p of index.merges) {
      const { isAlias, isMap, isSeq } = yaml();
      const sources = isSeq(p.value) ? p.value.items : [p.value];
      for (const src of sources) {
        const target = isAlias(src) ? src.resolve(this.parsed().doc) : src;
        if (isMap(target)) {
          const found = this.findPair(target, key, depth + 1);
          if (found) return found;
        }
      }
    }
    return undefined;
  }

  /**
   * The mapping's own keys by name (the first pair wins, as in a linear scan) and its `<<` merge pairs,
   * built once per mapping: pos() is called for every stage field, and a scan per lookup made loading a
   * 500-stage pipeline quadratic.
   */
  private keyIndex(map: YAMLMap): KeyIndex {
    let index = this.keyIndexes.get(map);
    if (index === undefined) {
      index = { own: new Map(), merges: [] };
      for (const p of map.items) {
        if (isMergeKey(p.key)) index.merges.push(p);
        else if (yaml().isScalar(p.key) && !index.own.has(String(p.key.value))) index.own.set(String(p.key.value), p);
      }
      this.keyIndexes.set(map, index);
    }
    return index;
  }

  /**
   * Source offset of character `index` of a one-line string scalar: plain, single-quoted, or double-quoted
   * without escapes. Null when the mapping is not that simple (the scalar's start is used then).
   */
  private offsetInScalar(node: Scalar, index: number): number | null {
    if (!node.range || typeof node.value !== 'string' || index > node.value.length) return null;
    const start = node.range[0];
    const src = this.text.slice(start, node.range[1]);
    if (src.includes('\n')) return null;
    switch (node.type) {
      case 'PLAIN':
        return src.startsWith(node.value) ? start + index : null;
      case 'QUOTE_DOUBLE':
        return src.includes('\\') ? null : start + 1 + index;
      case 'QUOTE_SINGLE': {
        let j = 1;
        for (let k = 0; k < index; k++) j += src[j] === "'" ? 2 : 1;
        return start + j;
      }
      default:
        return null;
    }
  }
}

/** With `merge: true` the yaml package represents a `<<` key by a symbol value. */
function isMergeKey(key: unknown): boolean {
  if (!yaml().isScalar(key)) return false;
  return key.value === '<<' || (typeof key.value === 'symbol' && key.value.description === '<<');
}

function isEmptyScalar(node: unknown): boolean {
  return yaml().isScalar(node) && node.value === null && node.range != null && node.range[0] === node.range[1];
}

function limitsKey(limits: YamlLimits): string {
  return JSON.stringify([limits.maxFileBytes, limits.maxDepth, limits.maxListItems, limits.maxValues]);
}

function readCacheEntry(path: string): { data: unknown } | undefined {
  try {
    const entry = JSON.parse(readFileSync(path, 'utf8')) as { format?: unknown; data?: unknown };
    return entry.format === CACHE_FORMAT && 'data' in entry ? { data: entry.data } : undefined;
  } catch {
    return undefined; // missing or unreadable: parse instead
  }
}

/** Best effort: a cache that cannot be written only costs the next load a parse. */
function writeCacheEntry(dir: string, path: string, data: unknown): void {
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ format: CACHE_FORMAT, data }));
    renameSync(tmp, path);
    const entries = readdirSync(dir).filter((f) => f.endsWith('.json'));
    if (entries.length > CACHE_MAX_ENTRIES) {
      const byAge = entries.map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs })).sort((a, b) => a.t - b.t);
      for (const { f } of byAge.slice(0, entries.length - CACHE_MAX_ENTRIES)) unlinkSync(join(dir, f));
    }
  } catch {
    // read-only workspace, full disk, a concurrent writer: ignore
  }
}

/** True when JSON.parse(JSON.stringify(v)) gives v back (no Infinity/NaN, -0, undefined, Date, Map, …). */
function isJsonSafe(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (Array.isArray(v)) return v.every(isJsonSafe);
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.entries(v as Record<string, unknown>).every(([k, x]) => k !== '__proto__' && isJsonSafe(x));
  }
  return false;
}
