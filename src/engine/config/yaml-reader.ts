// Reading YAML that a user wrote (pipeline files and their includes, the model registry, the workspace
// config, --set values) within the input limits, with every problem at a line and column: the file's size
// and encoding first, then the token tree (one document, nesting, list lengths), then the document tree
// (syntax, tags, aliases, merge keys), and only then conversion to data.
import type { Document, LineCounter } from 'yaml';
import type { YamlLimits } from './input-limits.js';
import { checkAliasesAndMerges } from './yaml-alias-checks.js';
import { readYamlFileText } from './yaml-file-text.js';
import { yaml } from './yaml-module.js';
import { checkYamlStructure, parseTokens } from './yaml-structure-limits.js';

/** A problem at a 1-based line and column; line 0 for one about the whole file (its size). */
export interface YamlProblem {
  line: number;
  col: number;
  message: string;
  /** file: size or encoding; structure: documents, nesting, list length; alias: aliases and merge keys. */
  kind: 'file' | 'structure' | 'syntax' | 'tag' | 'alias';
}

export interface ParsedYaml {
  doc: Document;
  lines: LineCounter;
}

export interface YamlParse {
  /** The document tree; undefined when the token tree already failed a check. */
  parsed?: ParsedYaml;
  problems: YamlProblem[];
}

/** Parses `text` as exactly one YAML document (core schema, merge keys, unique keys). */
export function parseYaml(text: string, limits: YamlLimits): YamlParse {
  const y = yaml();
  const lines = new y.LineCounter();
  const located = (offset: number, message: string, kind: YamlProblem['kind']): YamlProblem => ({ ...lines.linePos(offset), message, kind });
  const { tokens, problem } = parseTokens(text, lines, limits);
  if (problem) return { problems: [located(problem.offset, problem.message, 'structure')] };
  const structure = checkYamlStructure(tokens, limits);
  if (structure.length > 0) return { problems: structure.map((p) => located(p.offset, p.message, 'structure')) };
  const composer = new y.Composer({ keepSourceTokens: true, uniqueKeys: true, merge: true });
  const doc = Array.from(composer.compose(tokens, true, text.length))[0]!;
  const problems = [
    ...doc.errors.map((e) => located(e.pos[0], `YAML syntax error: ${oneLine(e.message)}`, 'syntax')),
    ...doc.warnings.map((w) =>
      w.code === 'TAG_RESOLVE_FAILED' ? located(w.pos[0], unknownTagMessage(w.message), 'tag') : located(w.pos[0], `YAML: ${oneLine(w.message)}`, 'syntax'),
    ),
  ];
  return { parsed: { doc, lines }, problems };
}

/** The document's data, after the alias and merge-key checks; undefined data when there are problems. */
export function yamlData(parsed: ParsedYaml, limits: YamlLimits): { data?: unknown; problems: YamlProblem[] } {
  const located = (offset: number, message: string): YamlProblem => ({ ...parsed.lines.linePos(offset), message, kind: 'alias' });
  const problems = checkAliasesAndMerges(parsed.doc, limits).map((p) => located(p.offset, p.message));
  if (problems.length > 0) return { problems };
  try {
    return { data: parsed.doc.toJS({ maxAliasCount: limits.maxValues }), problems: [] };
  } catch (e) {
    // the checks above are meant to leave nothing for conversion to reject
    return { problems: [located(parsed.doc.contents?.range?.[0] ?? 0, `YAML: ${oneLine((e as Error).message)}`)] };
  }
}

/** Parses YAML text to data: the problems of the first step that has any. */
export function parseYamlData(text: string, limits: YamlLimits): { parsed?: ParsedYaml; data?: unknown; problems: YamlProblem[] } {
  const { parsed, problems } = parseYaml(text, limits);
  if (parsed === undefined || problems.length > 0) return { ...(parsed && { parsed }), problems };
  return { parsed, ...yamlData(parsed, limits) };
}

/** Reads and parses a YAML file. Throws only for I/O errors (missing, unreadable). */
export function readYamlFile(file: string, limits: YamlLimits): { text?: string; parsed?: ParsedYaml; data?: unknown; problems: YamlProblem[] } {
  const read = readYamlFileText(file, limits);
  if (read.problem) return { problems: [read.problem] };
  return { text: read.text, ...parseYamlData(read.text, limits) };
}

function oneLine(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}

/** "Unresolved tag: tag:yaml.org,2002:js/function" -> a message that names the tag as written. */
function unknownTagMessage(message: string): string {
  const tag = message.replace(/^Unresolved tag:\s*/, '').replace(/^tag:yaml\.org,2002:/, '!!');
  return `unknown YAML tag ${tag}: only the core schema's tags (!!str, !!int, !!float, !!bool, !!null, !!seq, !!map) are understood`;
}
