// Every YAML example in README.md and docs/*.md is checked, so a broken example fails the tests. Each
// ```yaml fence must follow a marker comment saying what it is:
//   <!-- example: pipeline -->  a complete pipeline file: written to pipelines/example.yaml in a copy of the
//                               repository's pipelines/ and experiments/, loaded with the built-in catalog
//   <!-- example: ablation -->  an ablation file: written to experiments/ablations/ there; the SonicToy and
//                               paper pipelines must load with it and expand its stages
//   <!-- example: schema -->    a reference listing: must pass the pipeline file schema
//   <!-- example: stages -->    a `stages:` fragment: each `with:` must pass its built-in stage's params
//   <!-- example: matrix -->    a `matrix:` mapping: a one-stage pipeline with it must load
//   <!-- example: executor-config -->  a sonic.config.yaml: must parse as executor settings
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { DEFAULT_STAGE_MODULES, loadCatalog } from '../../src/cli/stage-modules.js';
import { loadPipeline } from '../../src/engine/config/load-pipeline.js';
import { pipelineFileSchema } from '../../src/engine/config/pipeline-schema.js';
import { parseExecutorConfig } from '../../src/engine/exec/slurm/slurm-settings.js';
import type { StageCatalog } from '../../src/engine/stage/stage-definition.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const KINDS = ['pipeline', 'ablation', 'schema', 'stages', 'matrix', 'executor-config'] as const;
type Kind = (typeof KINDS)[number];

interface Example {
  where: string; // file:line of the fence
  kind: Kind | null;
  text: string;
}

function examplesOf(file: string): Example[] {
  const lines = readFileSync(join(REPO, file), 'utf8').split('\n');
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```yaml') continue;
    let j = i - 1;
    while (j >= 0 && lines[j]!.trim() === '') j--;
    const marker = /^<!--\s*example:\s*([a-z-]+)\s*-->$/.exec(lines[j]?.trim() ?? '');
    const end = lines.findIndex((l, k) => k > i && l.trim() === '```');
    assert.ok(end > i, `${file}:${i + 1}: unterminated yaml fence`);
    out.push({ where: `${file}:${i + 1}`, kind: (marker?.[1] as Kind | undefined) ?? null, text: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return out;
}

const docs = ['README.md', ...readdirSync(join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const examples = docs.flatMap(examplesOf);
let ws = '';
let catalog: StageCatalog;

before(async () => {
  catalog = await loadCatalog([...DEFAULT_STAGE_MODULES]);
  ws = mkdtempSync(join(tmpdir(), 'doc-examples-'));
  cpSync(join(REPO, 'pipelines'), join(ws, 'pipelines'), { recursive: true });
  cpSync(join(REPO, 'experiments'), join(ws, 'experiments'), { recursive: true });
  mkdirSync(join(ws, 'results'));
  cpSync(join(REPO, 'results', 'paper-reported.json'), join(ws, 'results', 'paper-reported.json'));
  cpSync(join(REPO, 'test', 'fixtures', 'paper-models'), join(ws, 'test', 'fixtures', 'paper-models'), { recursive: true });
  writeFileSync(join(ws, 'package.json'), '{}\n'); // the workspace root
});
after(() => {
  if (ws) rmSync(ws, { recursive: true, force: true });
});

test('every YAML example in README.md and docs/ says what kind of example it is', () => {
  assert.ok(examples.length >= 6, `found only ${examples.length} examples`);
  for (const e of examples) assert.ok(e.kind && (KINDS as readonly string[]).includes(e.kind), `${e.where}: add a marker <!-- example: ${KINDS.join('|')} --> before the fence`);
});

for (const e of examples) {
  test(`docs example ${e.where} (${e.kind})`, () => {
    switch (e.kind) {
      case 'pipeline': {
        const file = join(ws, 'pipelines', 'example.yaml');
        writeFileSync(file, e.text);
        try {
          const p = loadPipeline(file, { catalog, workspaceRoot: ws });
          assert.ok(p.stages.length > 0);
        } finally {
          rmSync(file);
        }
        break;
      }
      case 'ablation': {
        const data = parse(e.text) as { name: string };
        const file = join(ws, 'experiments', 'ablations', 'example.yaml');
        writeFileSync(file, e.text);
        try {
          // The paper pipeline at its fixture profile (no datasets or weights needed), with every ablation file.
          const runs: Array<{ pipeline: string; set: Record<string, string> }> = [
            { pipeline: 'sonictoy.yaml', set: {} },
            { pipeline: 'paper.yaml', set: { profile: 'fixture', ablations: '../experiments/ablations/*.yaml' } },
          ];
          for (const { pipeline, set } of runs) {
            const p = loadPipeline(join(ws, 'pipelines', pipeline), { catalog, workspaceRoot: ws, set });
            const mine = p.stages.filter((s) => s.matrix.ablation === data.name).map((s) => s.baseId);
            assert.deepEqual([...new Set(mine)], ['train_projector', 'train_adapter', 'generate', 'evaluate'], `${pipeline}: the stages of ablation ${data.name}`);
          }
        } finally {
          rmSync(file);
        }
        break;
      }
      case 'schema': {
        const data = parse(e.text, { merge: true }) as Record<string, unknown>;
        const r = pipelineFileSchema.safeParse(Object.fromEntries(Object.entries(data).filter(([k]) => !k.startsWith('x-'))));
        assert.ok(r.success, r.success ? '' : JSON.stringify(r.error.issues));
        break;
      }
      case 'stages': {
        const data = parse(e.text) as { stages: Record<string, { uses: string; with?: unknown }> };
        for (const [id, s] of Object.entries(data.stages)) {
          const def = catalog.get(s.uses);
          assert.ok(def, `${id}: unknown stage ${s.uses}`);
          const r = def.params.safeParse(s.with ?? {});
          assert.ok(r.success, `${id}: ${r.success ? '' : JSON.stringify(r.error.issues)}`);
        }
        break;
      }
      case 'matrix': {
        const file = join(ws, 'pipelines', 'example.yaml');
        const matrix = e.text.split('\n').map((l) => `    ${l}`).join('\n');
        writeFileSync(file, `version: 1\nstages:\n  s:\n    run: [echo, x]\n${matrix}\n`);
        try {
          assert.ok(loadPipeline(file, { workspaceRoot: ws }).stages.length > 0);
        } finally {
          rmSync(file);
        }
        break;
      }
      case 'executor-config':
        parseExecutorConfig(e.text, 'sonic.config.yaml');
        break;
      default:
        assert.fail(`${e.where}: no example marker`);
    }
  });
}
