// Checks on aliases and merge keys before a YAML document is converted to data. Conversion would throw
// without a position ("Unresolved alias", "Merge sources must be maps") or build a self-referencing value;
// an alias bomb (aliases of aliases of lists) would expand to billions of values. Each problem here points
// at the alias or merge value responsible. Anchors resolve as in the yaml package: an alias refers to the
// last node with its anchor that starts before it.
import type { Document, Node } from 'yaml';
import { limitEnv, type YamlLimits } from './input-limits.js';
import { yaml } from './yaml-module.js';
import type { OffsetProblem } from './yaml-structure-limits.js';

interface AnchorEntry {
  node: Node;
  /** Values in the node with its aliases expanded; undefined while the node is being walked. */
  size?: number;
}

export function checkAliasesAndMerges(doc: Document, limits: Pick<YamlLimits, 'maxValues'>): OffsetProblem[] {
  const { isAlias, isMap, isPair, isScalar, isSeq } = yaml();
  const anchors = new Map<string, AnchorEntry>();
  const problems: OffsetProblem[] = [];
  let total = 0;
  let overLimit = false;
  const at = (node: Node) => node.range?.[0] ?? 0;
  const tooMany = (node: Node) => {
    overLimit = true;
    problems.push({
      offset: at(node),
      message: `with its aliases expanded the document has more than ${limits.maxValues} values (an alias bomb?) (${limitEnv('maxValues')} raises the limit)`,
    });
  };

  const target = (node: unknown): Node | undefined => (isAlias(node) ? anchors.get(node.source)?.node : (node as Node));

  const checkMerge = (value: unknown): void => {
    const source = target(value);
    if (source === undefined) return; // an undefined alias, reported already
    const sources = isSeq(source) ? source.items : [source];
    const bad = sources.find((item) => {
      const merged = target(item);
      return merged !== undefined && !isMap(merged);
    });
    if (bad === undefined) return;
    // a literal list points at its bad item; an alias at itself (its anchor may be far away)
    let what = describe(target(bad)!);
    if (isAlias(value)) what = `*${value.source}, ${isSeq(source) ? `a list holding ${what}` : what}`;
    problems.push({
      offset: at((isSeq(value) ? bad : value) as Node),
      message: `"<<" merges mappings into this one: expected a mapping, an alias of one (*name) or a list of those, got ${what}`,
    });
  };

  const visit = (node: unknown): void => {
    if (overLimit || node === null || node === undefined) return;
    if (isAlias(node)) {
      const entry = anchors.get(node.source);
      if (entry === undefined) {
        problems.push({ offset: at(node), message: `alias *${node.source} refers to no anchor (define &${node.source} before this alias)` });
      } else if (entry.size === undefined) {
        problems.push({ offset: at(node), message: `alias *${node.source} is inside the node it refers to (a value cannot contain itself)` });
      } else if ((total += entry.size) > limits.maxValues) tooMany(node);
      return;
    }
    const n = node as Node;
    const entry: AnchorEntry | undefined = n.anchor !== undefined ? { node: n } : undefined;
    if (entry) anchors.set(n.anchor!, entry);
    const start = total;
    if (++total > limits.maxValues) return tooMany(n);
    if (isMap(n)) {
      for (const pair of n.items) {
        if (!isPair(pair)) continue;
        visit(pair.key);
        visit(pair.value);
        if (isScalar(pair.key) && typeof pair.key.value === 'symbol' && pair.key.value.description === '<<') checkMerge(pair.value);
      }
    } else if (isSeq(n)) {
      for (const item of n.items) visit(item);
    }
    if (entry) entry.size = total - start;
  };

  visit(doc.contents);
  return problems;
}

function describe(node: Node): string {
  const { isScalar, isSeq } = yaml();
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return node.value === null ? 'null' : `${typeof node.value === 'string' ? 'the string' : `the ${typeof node.value}`} ${JSON.stringify(node.value)}`;
  return 'a value that is not a mapping';
}
