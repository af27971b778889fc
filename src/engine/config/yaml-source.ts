// One parsed YAML file with the means to map a data path (['stages', 'gen', 'run', 2]) back to line:col.
import { readFileSync } from 'node:fs';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic, SourcePos } from './pipeline-model.js';

export type DataPath = readonly (string | number)[];

export class YamlSource {
  readonly data: unknown;
  readonly syntaxErrors: Diagnostic[];
  private readonly doc: Document;
  private readonly lines: LineCounter;

  private constructor(readonly file: string, text: string) {
    this.lines = new LineCounter();
    this.doc = parseDocument(text, { keepSourceTokens: true, lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
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
  pos(path: DataPath, which: 'key' | 'value' = 'value'): SourcePos {
    let node: unknown = this.doc.contents;
    let keyNode: Node | null = null;
    let complete = true;
    for (const seg of path) {
      if (isAlias(node)) node = node.resolve(this.doc);
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
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
    const offset = chosen?.range?.[0] ?? 0;
    return { file: this.file, ...this.lines.linePos(offset) };
  }
}

function isEmptyScalar(node: unknown): boolean {
  return isScalar(node) && node.value === null && node.range != null && node.range[0] === node.range[1];
}
