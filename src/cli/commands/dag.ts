// sonic dag PIPELINE [--mermaid]: the stage graph.
import { setPairs } from '../args.js';
import { pipelineContext } from '../pipeline-context.js';
import { processIo, runCommand, type Io } from '../run-command.js';
import { DAG as SPEC } from '../specs/pipeline-commands.js';
import { buildGraph } from '../../engine/graph/dag.js';
import { renderAsciiDag, renderMermaidDag } from '../../engine/graph/render-dag.js';

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, async (values, positionals) => {
    const ctx = await pipelineContext(positionals[0], { set: setPairs(values.set), workspace: values.workspace });
    const graph = buildGraph(ctx.pipeline);
    const describe = (id: string) => {
      const s = graph.stages.get(id)!;
      return s.kind === 'uses' ? `(${s.uses})` : `(run: ${(s.run ?? [])[0] ?? ''})`;
    };
    io.stdout(values.mermaid ? renderMermaidDag(graph) : renderAsciiDag(graph, describe));
    return 0;
  });
}
