// The ESLint layering rule (eslint.config.js) rejects imports that point up DESIGN.md's layers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

async function problems(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: repoRoot });
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, filePath) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

test('engine/ may not import the method; the method layers may not import the engine; nothing imports cli/', async () => {
  assert.match((await problems('src/engine/graph/x.ts', "import { a } from '../../stages/catalog.js';\nexport const b = a;\n"))[0] ?? '', /no-restricted-imports: .*engine\/ knows nothing of the method/);
  assert.match((await problems('src/engine/x.ts', "import { a } from '../data/manifest/x.js';\nexport const b = a;\n"))[0] ?? '', /engine\/ knows nothing of the method/);
  assert.match((await problems('src/sonic/x.ts', "import type { A } from '../engine/config/pipeline-model.js';\nexport type B = A;\n"))[0] ?? '', /do not import the engine/);
  assert.match((await problems('src/compute/x.ts', "import { a } from '../sonic/unet/unet.js';\nexport const b = a;\n"))[0] ?? '', /compute\/ is the bottom layer/);
  assert.match((await problems('src/stages/x.ts', "import { a } from '../cli/args.js';\nexport const b = a;\n"))[0] ?? '', /cli\/ is the top layer/);
  assert.deepEqual(await problems('src/stages/x.ts', "import { a } from '../engine/stage/stage-definition.js';\nexport const b = a;\n"), [], 'stages/ may use the engine');
  assert.deepEqual(await problems('src/cli/x.ts', "import { a } from '../engine/runner/run-pipeline.js';\nexport const b = a;\n"), []);
});

test('engine/runner/ may not import the Slurm executor: it reaches executors through the Executor interface', async () => {
  const slurm = /no-restricted-imports: .*engine\/runner\/ uses executors only through the Executor interface/;
  assert.match((await problems('src/engine/runner/reattach.ts', "import { SlurmExecutor } from '../exec/slurm/slurm-executor.js';\nexport const s = SlurmExecutor;\n"))[0] ?? '', slurm);
  assert.match((await problems('src/engine/runner/x.ts', "import type { A } from '../exec/slurm/executor-config.js';\nexport type B = A;\n"))[0] ?? '', slurm);
  // the engine's other rules still hold in the runner (its config object replaces the engine's)
  assert.match((await problems('src/engine/runner/x.ts', "import { a } from '../../stages/catalog.js';\nexport const b = a;\n"))[0] ?? '', /engine\/ knows nothing of the method/);
  assert.deepEqual(await problems('src/engine/runner/x.ts', "import type { Executor } from '../exec/executor.js';\nexport type E = Executor;\n"), []);
  assert.deepEqual(await problems('src/cli/x.ts', "import { a } from '../engine/exec/slurm/executor-for-run.js';\nexport const b = a;\n"), [], 'the CLI wires the Slurm executor');
});

test('the runner as committed imports nothing from exec/slurm', async () => {
  const eslint = new ESLint({ cwd: repoRoot });
  const results = await eslint.lintFiles([join(repoRoot, 'src/engine/runner')]);
  assert.ok(results.length >= 10, `linted ${results.length} runner files`);
  assert.deepEqual(results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line}: ${m.message}`)), []);
});
