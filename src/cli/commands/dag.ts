// sonic dag PIPELINE [--mermaid]: the stage graph.
import { parse, setPairs } from '../args.js';
import { pipelineContext } from '../pipeline-context.js';
import { buildGraph } from '../../engine/graph/dag.js';
import { renderAsciiDag, renderMermaidDag } from '../../engine/graph/render-dag.js';

export const USAGE = `usage: sonic dag PIPELINE [--mermaid] [--set KEY=VALUE]…

Prints the stage graph as a tree (stages with several inputs appear once in full, then "(see above)"),
or as a Mermaid flowchart with --mermaid.`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { mermaid: { type: 'boolean' }, set: { type: 'string', multiple: true }, workspace: { type: 'string' } }, USAGE);
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const ctx = await pipelineContext(positionals[0], { set: setPairs(values.set), workspace: values.workspace });
  const graph = buildGraph(ctx.pipeline);
  const describe = (id: string) => {
    const s = graph.stages.get(id)!;
    return s.kind === 'uses' ? `(${s.uses})` : `(run: ${(s.run ?? [])[0] ?? ''})`;
  };
  process.stdout.write(values.mermaid ? renderMermaidDag(graph) : renderAsciiDag(graph, describe));
  return 0;
}
