// Writes schema/pipeline.schema.json (JSON Schema of pipeline files, for editors) from the zod schema.
// Run after building: node dist/scripts/gen-schema.js
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pipelineJsonSchemaText } from '../src/engine/config/pipeline-schema.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const target = join(repoRoot, 'schema', 'pipeline.schema.json');
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, pipelineJsonSchemaText());
console.log(`wrote ${target}`);
