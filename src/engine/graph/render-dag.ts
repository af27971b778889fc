// Text renderings of the stage graph: an ASCII tree (roots first; a stage with several parents is drawn
// in full once and referenced afterwards) and a Mermaid flowchart.
import type { StageGraph } from './dag.js';

export function renderAsciiDag(graph: StageGraph, describe: (id: string) => string = () => ''): string {
  const lines: string[] = [];
  const drawn = new Set<string>();
  const label = (id: string) => {
    const d = describe(id);
    return d ? `${id}  ${d}` : id;
  };
  const walk = (id: string, prefix: string, last: boolean, root: boolean): void => {
    const branch = root ? '' : last ? '└─ ' : '├─ ';
    const seen = drawn.has(id);
    lines.push(`${prefix}${branch}${label(id)}${seen && (graph.dependents.get(id) ?? []).length > 0 ? '  (see above)' : ''}`);
    if (seen) return;
    drawn.add(id);
    const children = graph.dependents.get(id) ?? [];
    const childPrefix = root ? '' : prefix + (last ? '   ' : '│  ');
    children.forEach((c, i) => walk(c, childPrefix, i === children.length - 1, false));
  };
  for (const id of graph.order) if ((graph.deps.get(id) ?? []).length === 0) walk(id, '', true, true);
  return `${lines.join('\n')}\n`;
}

export function renderMermaidDag(graph: StageGraph): string {
  const ids = new Map(graph.order.map((id, i) => [id, `s${i}`]));
  const esc = (s: string) => s.replace(/"/g, '#quot;');
  const lines = ['graph TD'];
  for (const id of graph.order) lines.push(`  ${ids.get(id)}["${esc(id)}"]`);
  for (const id of graph.order) for (const d of graph.deps.get(id) ?? []) lines.push(`  ${ids.get(d)} --> ${ids.get(id)}`);
  return `${lines.join('\n')}\n`;
}
