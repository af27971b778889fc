import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipelineJsonSchemaText } from '../../../src/engine/config/pipeline-schema.js';
import { repoRoot } from './fixture-paths.js';

test('committed schema/pipeline.schema.json equals the one generated from the zod schema', () => {
  const committed = readFileSync(join(repoRoot, 'schema', 'pipeline.schema.json'), 'utf8');
  assert.equal(committed, pipelineJsonSchemaText(), 'regenerate with: npx tsc -p . && node dist/scripts/gen-schema.js');
  const schema = JSON.parse(committed);
  assert.deepStrictEqual(schema.required, ['version']);
  assert.equal(schema.additionalProperties, false);
});
