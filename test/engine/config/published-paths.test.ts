// Publish paths: overlapping targets are rejected at load time, and a stage input that names another
// stage's publish path is bound to that stage's output (a dependency edge), with real runs to show the
// reader sees what the writer produced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDiagnostics, loadPipeline, PipelineConfigError } from '../../../src/engine/config/load-pipeline.js';
import { buildGraph } from '../../../src/engine/graph/dag.js';
import { renderAsciiDag } from '../../../src/engine/graph/render-dag.js';
import { runPipeline } from '../../../src/engine/runner/run-pipeline.js';

const NODE = JSON.stringify(process.execPath);
const WRITE = (text: string) => `[${NODE}, "-e", "require('fs').writeFileSync(process.argv[1], '${text}')", "\${{ outputs.o }}"]`;
const COPY = `[${NODE}, "-e", "require('fs').copyFileSync(process.argv[1], process.argv[2])", "\${{ inputs.a }}", "\${{ outputs.c }}"]`;

function project(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sonic-publish-'));
  writeFileSync(join(dir, 'package.json'), '{}');
  writeFileSync(join(dir, 'pipeline.yaml'), yaml);
  return dir;
}

function loadError(dir: string): string {
  try {
    loadPipeline(join(dir, 'pipeline.yaml'));
  } catch (e) {
    assert.ok(e instanceof PipelineConfigError, String(e));
    return formatDiagnostics(e.diagnostics);
  }
  assert.fail('the pipeline loaded');
}

test('a publish target inside another stage\'s publish target is rejected, naming both stages', () => {
  const dir = project(`version: 1
stages:
  a:
    run: ${WRITE('a')}
    outputs: {o: {path: d, publish: results/dir}}
  b:
    run: ${WRITE('b')}
    outputs: {o: {path: b.txt, publish: results/dir/b.txt}}
`);
  try {
    const msg = loadError(dir);
    assert.match(msg, /pipeline\.yaml:8:\d+: .*publish target .*results\/dir\/b\.txt of stage "b" lies inside .*results\/dir \(published by stage "a"\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('two outputs of one stage whose paths nest are rejected', () => {
  const dir = project(`version: 1
stages:
  a:
    run: [${NODE}, "-e", "0", "\${{ outputs.dir }}", "\${{ outputs.inner }}"]
    outputs: {dir: d, inner: d/x.txt}
`);
  try {
    assert.match(loadError(dir), /output "inner" \(d\/x\.txt\) overlaps output "dir" \(d\) of the same stage/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an input naming another stage\'s publish path depends on that stage, and reads what it wrote', async () => {
  const dir = project(`version: 1
stages:
  q:
    run: ${COPY}
    inputs: {a: out/a.txt}
    outputs: {c: c.txt}
  a:
    run: ${WRITE('fresh from a')}
    outputs: {o: {path: a.txt, publish: out/a.txt}}
`);
  try {
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out', 'a.txt'), 'stale');
    const pipeline = loadPipeline(join(dir, 'pipeline.yaml'));
    const graph = buildGraph(pipeline);
    assert.deepEqual(graph.deps.get('q'), ['a']);
    assert.equal(renderAsciiDag(graph), 'a\n└─ q\n');
    const summary = await runPipeline(pipeline, { workspace: join(dir, '.sonic'), gpus: [] });
    assert.equal(summary.status, 'succeeded', summary.stages.map((s) => s.error ?? '').join(' '));
    const q = summary.stages.find((s) => s.stageId === 'q')!;
    assert.equal(readFileSync(q.outputs!.c!, 'utf8'), 'fresh from a');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an input inside a published directory is rejected with the reference to use', () => {
  const dir = project(`version: 1
stages:
  a:
    run: [${NODE}, "-e", "0", "\${{ outputs.o }}"]
    outputs: {o: {path: d, publish: results/dir}}
  q:
    run: ${COPY}
    inputs: {a: results/dir/b.txt}
    outputs: {c: c.txt}
`);
  try {
    assert.match(loadError(dir), /pipeline\.yaml:8:\d+: input "a" reads .*results\/dir\/b\.txt, which lies inside .*results\/dir, published by stage "a"; bind \$\{\{ stages\.a\.outputs\.o \}\} instead/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
