// The yaml package, loaded on first use: a pipeline whose data comes from the parse cache needs none of it,
// and loading it costs startup time.
import { createRequire } from 'node:module';

type YamlModule = typeof import('yaml');
let yamlModule: YamlModule | undefined;

export function yaml(): YamlModule {
  return (yamlModule ??= createRequire(import.meta.url)('yaml') as YamlModule);
}
