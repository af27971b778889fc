// The YAML parser's token tree (CST), built within the limits: nesting depth is checked while the parser
// runs, because both the parser (closing many levels at once) and the step that builds the document tree
// recurse once per level, and 20,000 nested lists overflow the stack; then one document per file and list
// lengths, before the document tree (which costs memory per node) is built.
import type { CST, LineCounter } from 'yaml';
import { limitEnv, type YamlLimits } from './input-limits.js';
import { yaml } from './yaml-module.js';

/** A problem at a character offset of the YAML text. */
export interface OffsetProblem {
  offset: number;
  message: string;
}

const isCollection = (t: CST.Token): boolean => t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection';

/**
 * The top-level tokens of `text`, or the first collection nested deeper than `maxDepth` (the parser is
 * fed one lexeme at a time and stopped there, before it closes the levels).
 */
export function parseTokens(text: string, lines: LineCounter, limits: Pick<YamlLimits, 'maxDepth'>): { tokens: CST.Token[]; problem?: OffsetProblem } {
  const y = yaml();
  const parser = new y.Parser(lines.addNewLine);
  const tokens: CST.Token[] = [];
  lines.addNewLine(0);
  for (const lexeme of new y.Lexer().lex(text, false)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    // the stack holds the document, the open collections and at most a few items in between
    if (parser.stack.length > limits.maxDepth) {
      const collections = parser.stack.filter(isCollection);
      if (collections.length > limits.maxDepth) {
        const message = `lists and mappings nested deeper than ${limits.maxDepth} levels (${limitEnv('maxDepth')} raises the limit)`;
        return { tokens, problem: { offset: collections[limits.maxDepth]!.offset, message } };
      }
    }
  }
  for (const token of parser.end()) tokens.push(token);
  return { tokens };
}

/** One document per file, and no list longer than the limit. */
export function checkYamlStructure(tokens: readonly CST.Token[], limits: Pick<YamlLimits, 'maxListItems'>): OffsetProblem[] {
  const documents = tokens.filter((t): t is CST.Document => t.type === 'document');
  if (documents.length > 1) {
    return [
      {
        offset: documents[1]!.offset,
        message: 'a second YAML document starts here; the file must hold exactly one (remove the "---" line, or move what follows into a file of its own)',
      },
    ];
  }
  const problems: OffsetProblem[] = [];
  const pending: CST.Token[] = documents.flatMap((d) => (d.value ? [d.value] : []));
  while (pending.length > 0) {
    const token = pending.pop()!;
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
    const isList = token.type === 'block-seq' || (token.type === 'flow-collection' && token.start.source === '[');
    if (isList && token.items.length > limits.maxListItems) {
      problems.push({
        offset: token.offset,
        message: `a list of ${token.items.length} items; a list may have at most ${limits.maxListItems} (${limitEnv('maxListItems')} raises the limit)`,
      });
      continue;
    }
    for (const item of token.items as CST.CollectionItem[]) {
      if (item.value) pending.push(item.value);
      if (item.key) pending.push(item.key);
    }
  }
  return problems.sort((a, b) => a.offset - b.offset);
}
