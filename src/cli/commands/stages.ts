// sonic stages PIPELINE: every stage of the resolved pipeline with its kind, params, inputs and outputs.
import { relative } from 'node:path';
import type { InputRef, Pipeline, StageSpec } from '../../engine/config/pipeline-model.js';
import type { StageCatalog } from '../../engine/stage/stage-definition.js';
import { buildGraph } from '../../engine/graph/dag.js';
import { flattenParams } from '../../engine/report/params-diff-table.js';
import { setPairs } from '../args.js';
import { pipelineContext } from '../pipeline-context.js';
import { processIo, runCommand, type Io } from '../run-command.js';
import { STAGES as SPEC } from '../specs/pipeline-commands.js';

export interface StageListing {
  id: string;
  baseId: string;
  kind: 'uses' | 'run';
  uses?: string;
  version?: string; // the built-in stage's declared version
  run?: string[];
  params: StageSpec['with'];
  inputs: Record<string, ({ stage: string; output: string } | { file: string })[]>;
  outputs: Record<string, { path: string; publish?: string }>;
  source: string; // file:line where the stage is defined
}

export function listStages(pipeline: Pipeline, catalog: StageCatalog, cwd: string): StageListing[] {
  const rel = (p: string) => {
    const r = relative(cwd, p);
    return r === '' ? '.' : r;
  };
  const byId = new Map(pipeline.stages.map((s) => [s.id, s]));
  const ref = (r: InputRef) => (r.kind === 'output' ? { stage: r.stage, output: r.output } : { file: rel(r.path) });
  return buildGraph(pipeline).order.map((id) => {
    const s = byId.get(id)!;
    const version = s.uses === undefined ? undefined : catalog.get(s.uses)?.version;
    return {
      id: s.id,
      baseId: s.baseId,
      kind: s.kind,
      ...(s.uses !== undefined ? { uses: s.uses } : {}),
      ...(version !== undefined ? { version } : {}),
      ...(s.run !== undefined ? { run: s.run } : {}),
      params: s.with,
      inputs: Object.fromEntries(Object.entries(s.inputs).map(([name, b]) => [name, b.refs.map(ref)])),
      outputs: Object.fromEntries(
        Object.entries(s.outputs).map(([name, o]) => [name, { path: o.path, ...(o.publish !== undefined ? { publish: rel(o.publish) } : {}) }]),
      ),
      source: `${rel(s.pos.file)}:${s.pos.line}`,
    };
  });
}

function formatListing(stages: StageListing[]): string {
  const blocks = stages.map((s) => {
    const kind = s.kind === 'uses' ? `uses ${s.uses}${s.version !== undefined ? ` v${s.version}` : ''}` : `run: ${(s.run ?? []).join(' ')}`;
    const lines = [`${s.id}  ${kind}  (${s.source})`];
    const params = Object.entries(flattenParams(s.params)).map(([k, v]) => `${k}=${v}`);
    lines.push(`  params:  ${params.length > 0 ? params.join('  ') : '-'}`);
    const inputs = Object.entries(s.inputs).map(
      ([name, refs]) => `${name} <- ${refs.map((r) => ('file' in r ? r.file : `${r.stage}.${r.output}`)).join(', ') || '(none)'}`,
    );
    lines.push(`  inputs:  ${inputs.length > 0 ? inputs.join('\n           ') : '-'}`);
    const outputs = Object.entries(s.outputs).map(([name, o]) => `${name} (${o.path})${o.publish !== undefined ? ` -> ${o.publish}` : ''}`);
    lines.push(`  outputs: ${outputs.length > 0 ? outputs.join('\n           ') : '-'}`);
    return lines.join('\n');
  });
  return `${blocks.join('\n\n')}\n\n${stages.length} stage${stages.length === 1 ? '' : 's'}\n`;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, async (values, positionals) => {
    const ctx = await pipelineContext(positionals[0], { set: setPairs(values.set), workspace: values.workspace });
    const stages = listStages(ctx.pipeline, ctx.catalog, io.cwd);
    io.stdout(values.json ? `${JSON.stringify(stages, null, 2)}\n` : formatListing(stages));
    return 0;
  });
}
