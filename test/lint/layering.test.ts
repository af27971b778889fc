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
