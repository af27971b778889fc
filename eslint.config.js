// ESLint (flat config, typescript-eslint parser). It enforces the layering agreed in DESIGN.md: imports
// point downward only. `cli/` is the top; `engine/` stays reusable for any experiment and reaches the
// method only through the stage registry; the method layers never import the engine, the stage catalog
// or the CLI; `compute/` is the bottom. No type-aware rules, so linting stays fast.
import tseslint from 'typescript-eslint';

/** An import that climbs out of the current top-level folder into one of `dirs` (relative imports only). */
const into = (dirs, why) => ({ regex: `^(\\.\\./)+(${dirs.join('|')})/`, message: why });

const TOP = into(['cli'], 'cli/ is the top layer: nothing imports it');
// The one exception: the engine's hardened YAML reader (size, depth, alias and encoding limits) is generic
// and is how every user-written YAML file is read, the model registry's included.
const METHOD = {
  regex: '^(\\.\\./)+(engine|stages)/(?!config/(yaml-reader|input-limits)\\.js$)',
  message: 'the method layers (sonic/, encoders/, metrics/, data/, compute/) do not import the engine or the stage catalog (except the YAML reader)',
};

const ENGINE = into(['stages', 'sonic', 'encoders', 'metrics', 'data'], 'engine/ knows nothing of the method: built-in stages reach it through the stage registry (DESIGN.md)');
const RUNNER = {
  regex: '^(\\.\\./)+(engine/)?exec/slurm/',
  message: 'engine/runner/ uses executors only through the Executor interface (exec/executor.ts): the CLI creates the Slurm executor and passes it in',
};

const layer = (files, ...patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/.venv/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
  // one config object per folder: a later object would replace, not extend, an earlier one's patterns
  layer(['src/{stages,cli}/**/*.ts', 'src/*.ts'], TOP),
  layer(['src/engine/**/*.ts'], TOP, ENGINE),
  // the runner reaches executors only through the Executor interface; which cluster executors exist is the CLI's choice
  layer(['src/engine/runner/**/*.ts'], TOP, ENGINE, RUNNER),
  layer(['src/{sonic,encoders}/**/*.ts'], TOP, METHOD),
  layer(['src/{data,metrics}/**/*.ts'], TOP, METHOD, into(['sonic', 'encoders'], 'data/ and metrics/ sit below the method and its encoders')),
  layer(['src/compute/**/*.ts'], TOP, METHOD, into(['sonic', 'encoders', 'metrics', 'data'], 'compute/ is the bottom layer')),
);
