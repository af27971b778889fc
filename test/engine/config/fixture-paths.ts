import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from the compiled test file in dist/test/engine/config. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
export const fixtures = join(repoRoot, 'test', 'fixtures');
