// Which stage publishes which workspace path. Publish targets may not overlap (one inside another would
// make the content depend on the order stages run in), and a stage input naming a published path is
// bound to the publishing stage's output, so the reader runs after the writer.
import { dirname, sep } from 'node:path';
import { displayPath } from './diagnostics.js';
import type { Params } from './pipeline-model.js';

export interface Publisher {
  stage: string; // expanded stage id
  baseId: string;
  matrix: Params;
  output: string; // output name
  path: string; // absolute publish path
}

export type Overlap = { relation: 'same' | 'inside' | 'contains'; publisher: Publisher };

/** `${{ stages.… }}` reference text that names a publisher's output. */
export function referenceTo(p: Publisher): string {
  const select = Object.entries(p.matrix);
  const stage = select.length === 0 ? p.baseId : `${p.baseId}[${select.map(([k, v]) => `${k}=${String(v)}`).join(',')}]`;
  return `\${{ stages.${stage}.outputs.${p.output} }}`;
}

export class PublishedPaths {
  private readonly byPath = new Map<string, Publisher>();

  /** The publisher of `path` itself, of a directory holding it, or of something inside it. */
  overlap(path: string): Overlap | undefined {
    const same = this.byPath.get(path);
    if (same) return { relation: 'same', publisher: same };
    for (let dir = dirname(path); ; dir = dirname(dir)) {
      const holder = this.byPath.get(dir);
      if (holder) return { relation: 'inside', publisher: holder };
      if (dirname(dir) === dir) break;
    }
    const prefix = path.endsWith(sep) ? path : path + sep;
    for (const [p, publisher] of this.byPath) if (p.startsWith(prefix)) return { relation: 'contains', publisher };
    return undefined;
  }

  add(publisher: Publisher): void {
    this.byPath.set(publisher.path, publisher);
  }
}

/** The error for a publish target that overlaps another stage's. */
export function overlappingPublishMessage(path: string, stageId: string, o: Overlap): string {
  const other = `${displayPath(o.publisher.path)} (published by stage "${o.publisher.stage}")`;
  if (o.relation === 'same') return `publish target ${displayPath(path)} is also published by stage "${o.publisher.stage}"`;
  const how = o.relation === 'inside' ? `lies inside ${other}` : `contains ${other}`;
  return `publish target ${displayPath(path)} of stage "${stageId}" ${how}: overlapping publish paths overwrite each other, so their content would depend on which stage ran last; publish to separate paths`;
}

/** The error for an input that reads inside (or around) another stage's published path. */
export function overlappingInputMessage(input: string, path: string, o: Overlap): string {
  const where = o.relation === 'inside' ? `lies inside ${displayPath(o.publisher.path)}` : `contains ${displayPath(o.publisher.path)}`;
  return (
    `input "${input}" reads ${displayPath(path)}, which ${where}, published by stage "${o.publisher.stage}"; ` +
    `bind ${referenceTo(o.publisher)} instead, so this stage runs after "${o.publisher.stage}" and reads what it produced`
  );
}

/** Relative output paths of one stage that coincide or nest (`dir` and `dir/b.txt`). */
export function outputPathsOverlap(a: string, b: string): boolean {
  return a === b || b.startsWith(`${a}/`) || a.startsWith(`${b}/`);
}
