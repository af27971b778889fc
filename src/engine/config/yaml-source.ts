// One parsed YAML file with the means to map a data path (['stages', 'gen', 'run', 2]) back to line:col.
import { readFileSync } from 'node:fs';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Diagnostic, SourcePos } from './pipeline-model.js';

export type DataPath = readonly (string | number)[];

interface KeyIndex {
  own: Map<string, Pair>;
  merges: Pair[];
}

export class YamlSource {
  readonly data: unknown;
  readonly syntaxErrors: Diagnostic[];
  private readonly doc: Document;
  private readonly lines: LineCounter;
  private readonly keyIndexes = new WeakMap<YAMLMap, KeyIndex>();

  private constructor(
    readonly file: string,
    private readonly text: string,
  ) {
    this.lines = new LineCounter();
    this.doc = parseDocument(text, { keepSourceTokens: true, lineCounter: this.lines, prettyErrors: false, uniqueKeys: true, merge: true });
    this.syntaxErrors = this.doc.errors.map((e) => ({
      file,
      ...this.lines.linePos(e.pos[0]),
      message: `YAML syntax error: ${e.message.replace(/\s+/g, ' ').trim()}`,
    }));
    this.data = this.syntaxErrors.length === 0 ? this.doc.toJS({ maxAliasCount: 1000 }) : undefined;
  }

  /** Reads and parses `file` (absolute). Throws only for I/O errors; YAML errors land in syntaxErrors. */
  static read(file: string): YamlSource {
    return new YamlSource(file, readFileSync(file, 'utf8'));
  }

  static fromText(file: string, text: string): YamlSource {
    return new YamlSource(file, text);
  }

  /**
   * Position of the node at `path`: its key (`which = 'key'`, for unknown or misnamed keys) or its value.
   * A path that does not exist maps to the deepest existing key on the way (e.g. the mapping that lacks a
   * required key).
   */
  pos(path: DataPath, which: 'key' | 'value' = 'value', index?: number): SourcePos {
    let node: unknown = this.doc.contents;
    let keyNode: Node | null = null;
    let complete = true;
    for (const seg of path) {
      if (isAlias(node)) node = node.resolve(this.doc);
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
    return { file: this.file, ...this.lines.linePos(offset) };
  }

  /** The pair for `key` in a mapping, looking through `<<: *anchor` merges (own keys first). */
  private findPair(map: YAMLMap, key: string, depth = 0): Pair | undefined {
    const index = this.keyIndex(map);
    const own = index.own.get(key);
    if (own || depth > 10) return own;
    for (const p of index.merges) {
      const sources = isSeq(p.value) ? p.value.items : [p.value];
      for (const src of sources) {
        const target = isAlias(src) ? src.resolve(this.doc) : src;
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
        else if (isScalar(p.key) && !index.own.has(String(p.key.value))) index.own.set(String(p.key.value), p);
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
      case Scalar.PLAIN:
        return src.startsWith(node.value) ? start + index : null;
      case Scalar.QUOTE_DOUBLE:
        return src.includes('\\') ? null : start + 1 + index;
      case Scalar.QUOTE_SINGLE: {
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
  if (!isScalar(key)) return false;
  return key.value === '<<' || (typeof key.value === 'symbol' && key.value.description === '<<');
}

function isEmptyScalar(node: unknown): boolean {
  return isScalar(node) && node.value === null && node.range != null && node.range[0] === node.range[1];
}
