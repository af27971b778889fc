// The stage graph of a run as an SVG: boxes coloured by state, arrows from producer to consumer, each box a
// link to its stage run. Layout by dagre (layered, left to right); text width is estimated, not measured.
import dagre from '@dagrejs/dagre';
import { escapeText } from './html.js';

export interface DagNode {
  id: string;
  label: string;
  state: string;
  href?: string;
}

export interface DagEdge {
  from: string;
  to: string;
}

export const DAG_STATE_COLORS: Record<string, string> = {
  succeeded: '#4c9a5b',
  cached: '#8a96a3',
  failed: '#d1495b',
  interrupted: '#d9962b',
  running: '#3d7ea6',
  skipped: '#b9c0c7',
  pending: '#c9ced3',
};

const FONT_SIZE = 12;
const CHAR_WIDTH = 7.0; // a generous average for 12 px sans-serif
const NODE_HEIGHT = 26;

/**
 * The edges not implied by a longer path (the transitive reduction). A stage that reads the dataset and
 * also something made from the dataset keeps only the second arrow; the graph's reachability is the same.
 */
export function reduceEdges(edges: readonly DagEdge[]): DagEdge[] {
  const unique = [...new Map(edges.filter((e) => e.from !== e.to).map((e) => [`${e.from}\0${e.to}`, e])).values()];
  const next = new Map<string, string[]>();
  for (const e of unique) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const reachableAvoiding = (from: string, to: string): boolean => {
    // is `to` reachable from `from` without taking the direct edge?
    const stack = (next.get(from) ?? []).filter((n) => n !== to);
    const seen = new Set(stack);
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n === to) return true;
      for (const m of next.get(n) ?? []) {
        if (!seen.has(m)) {
          seen.add(m);
          stack.push(m);
        }
      }
    }
    return false;
  };
  return unique.filter((e) => !reachableAvoiding(e.from, e.to));
}

export function dagSvg(nodes: readonly DagNode[], edges: readonly DagEdge[]): string {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 8, ranksep: 48, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: Math.ceil(n.label.length * CHAR_WIDTH) + 20, height: NODE_HEIGHT });
  const known = new Set(nodes.map((n) => n.id));
  for (const e of edges) if (known.has(e.from) && known.has(e.to) && e.from !== e.to) g.setEdge(e.from, e.to);
  dagre.layout(g);
  const { width = 0, height = 0 } = g.graph();
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" height="${Math.ceil(height)}" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" role="img" aria-label="stage graph">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#7a8591"/></marker></defs>',
  ];
  for (const e of g.edges()) {
    const pts = g.edge(e).points ?? [];
    if (pts.length < 2) continue;
    const d = pts.map((p: { x: number; y: number }, i: number) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join('');
    out.push(`<path d="${d}" fill="none" stroke="#9aa4ae" stroke-width="1.2" marker-end="url(#arrow)"/>`);
  }
  for (const n of nodes) {
    const box = g.node(n.id);
    const x = box.x - box.width / 2;
    const y = box.y - box.height / 2;
    const fill = DAG_STATE_COLORS[n.state] ?? '#c9ced3';
    const dark = n.state === 'pending' || n.state === 'skipped';
    const shape =
      `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${box.width}" height="${box.height}" rx="4" fill="${fill}"/>` +
      `<text x="${box.x.toFixed(1)}" y="${(box.y + FONT_SIZE * 0.35).toFixed(1)}" text-anchor="middle" font-size="${FONT_SIZE}" font-family="system-ui,'DejaVu Sans',sans-serif" fill="${dark ? '#1d232a' : '#fff'}">${escapeText(n.label)}</text>` +
      `<title>${escapeText(`${n.id}: ${n.state}`)}</title>`;
    out.push(n.href !== undefined ? `<a href="${escapeText(n.href)}">${shape}</a>` : shape);
  }
  out.push('</svg>');
  return out.join('\n');
}
