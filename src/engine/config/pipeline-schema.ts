// The zod schema of a pipeline file as written (before include, vars, profiles and matrix are applied).
// Every object is strict, so a misspelt key is an error. Fields that may hold a `${{ … }}` interpolation
// accept either their plain type or a string containing one; their final type is checked again after
// interpolation. schema/pipeline.schema.json is generated from this (scripts/gen-schema.ts).
import * as z from 'zod';
import { DURATION_PATTERN } from './duration.js';

/** Stage ids, var names, matrix keys, input and output names. */
export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;
export const NAME_RULE = 'letters, digits, "_" and "-", starting with a letter or "_"';
const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INTERPOLATION_PATTERN = /\$\{\{/;
/** A memory size: a number of MB, or digits with a unit KB / MB / GB / TB (1 GB = 1024 MB). */
export const MEMORY_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*([KkMmGgTt][Bb])?\s*$/;

const name = z.string().regex(NAME_PATTERN);
const json = z.json();
const scalar = z.union([z.string(), z.number(), z.boolean()], { error: 'expected a string, number or boolean' });

function interpolable<T extends z.ZodType>(schema: T, expected: string) {
  return z.union([schema, z.string().regex(INTERPOLATION_PATTERN, { error: `expected ${expected}` })], {
    error: `expected ${expected}`,
  });
}

const nonNegativeInt = (expected: string) =>
  interpolable(z.int({ error: `expected ${expected}` }).min(0, { error: `expected ${expected}` }), expected);

const runSchema = z
  .union(
    [
      z.string().min(1, { error: 'expected a non-empty command' }),
      z.array(scalar).min(1, { error: 'expected a non-empty argv list' }),
    ],
    { error: 'expected a command string or an argv list' },
  )
  .meta({ description: 'Command: an argv list, or one string split like a shell would (quotes respected) but run without a shell.' });

const pathOrRef = z.string({ error: 'expected a path or a ${{ stages.ID.outputs.NAME }} reference' });
const inputValue = z.union([pathOrRef, z.array(pathOrRef)], {
  error: 'expected a path, a ${{ stages.ID.outputs.NAME }} reference, or a list of them',
});

const outputDecl = z.union(
  [
    z.string().min(1, { error: 'expected a non-empty path' }),
    z.strictObject({
      path: z.string({ error: 'expected a path' }).min(1, { error: 'expected a non-empty path' }),
      publish: z.string({ error: 'expected a workspace path' }).min(1, { error: 'expected a workspace path' }).optional(),
    }),
  ],
  { error: 'expected a path or {path, publish}' },
);

const matrixValues = interpolable(
  z.array(scalar, { error: 'expected a list of values' }).min(1, { error: 'expected a non-empty list of values' }),
  'a non-empty list of values',
);

const matrixSchema = z
  .object({
    exclude: z
      .array(
        z.record(z.string(), z.union([scalar, z.record(z.string(), json)], { error: 'expected a string, number, boolean or a mapping of record fields' }), {
          error: 'expected a mapping of matrix key -> value',
        }),
        {
        error: 'expected a list of {key: value} combinations',
      })
      .optional()
      .meta({ description: 'Combinations to leave out; an entry matches every combination that has all its key/value pairs (a mapping value matches a record value that has all its fields).' }),
  })
  .catchall(matrixValues)
  .meta({ description: 'One stage instance per combination of the listed values (first key varies slowest).' });

const resourcesSchema = z.strictObject({
  cpu: interpolable(
    z.number({ error: 'expected a number of cores > 0' }).positive({ error: 'expected a number of cores > 0' }),
    'a number of cores > 0',
  ).optional(),
  memory: z
    .union(
      [
        z.number({ error: 'expected a memory size' }).min(0, { error: 'expected a memory size >= 0' }),
        z.string().regex(new RegExp(`${MEMORY_PATTERN.source}|${INTERPOLATION_PATTERN.source}`), {
          error: 'expected a memory size such as 512MB, 2GB or a number of MB',
        }),
      ],
      { error: 'expected a memory size such as 512MB, 2GB or a number of MB' },
    )
    .optional(),
  gpu: nonNegativeInt('an integer number of GPUs >= 0').optional(),
});

export const stageSchema = z
  .strictObject({
    run: runSchema.optional(),
    uses: z
      .string({ error: 'expected a built-in stage name' })
      .min(1, { error: 'expected a built-in stage name' })
      .optional()
      .meta({ description: 'A built-in stage (exclusive with run).' }),
    with: z.record(z.string(), json, { error: 'expected a mapping of parameters' }).optional(),
    inputs: z.record(name, inputValue, { error: 'expected a mapping of input name -> path or reference' }).optional(),
    outputs: z.record(name, outputDecl, { error: 'expected a mapping of output name -> path' }).optional(),
    matrix: matrixSchema.optional(),
    resources: resourcesSchema.optional(),
    cache: interpolable(z.boolean({ error: 'expected true or false' }), 'true or false').optional(),
    retries: nonNegativeInt('an integer >= 0').optional(),
    priority: interpolable(z.int({ error: 'expected an integer' }), 'an integer')
      .optional()
      .meta({
        description:
          'Among stages ready at the same time, higher priority starts first; a stage passes its priority on to the stages it depends on. Default 0; not part of the cache key.',
      }),
    timeout: interpolable(
      z.union([z.number().positive(), z.string().regex(DURATION_PATTERN)], { error: 'expected a duration such as 90s, 30m, 2h or 1h30m' }),
      'a duration such as 90s, 30m, 2h or 1h30m',
    )
      .optional()
      .meta({ description: 'Longest the stage may run (e.g. 30m, 2h, 1h30m, or seconds); then it is stopped and fails. Default: no limit.' }),
    env: z
      .record(z.string().regex(ENV_NAME_PATTERN), scalar, { error: 'expected a mapping of NAME -> value' })
      .optional(),
    tags: z.record(name, scalar, { error: 'expected a mapping of tag -> value' }).optional(),
  })
  .meta({ description: 'A stage: `run` (a command) or `uses` (a built-in stage).' });

export const pipelineFileSchema = z
  .strictObject({
    version: z.literal(1, { error: 'expected 1' }).meta({ description: 'File format version; must be 1.' }),
    name: z.string({ error: 'expected a name' }).min(1, { error: 'expected a name' }).optional(),
    notice: z
      .string({ error: 'expected a text' })
      .optional()
      .meta({ description: 'Text `sonic run` prints before and after running (may use ${{ vars.… }}; empty: nothing). The last file that sets it wins.' }),
    include: z
      .array(z.string({ error: 'expected a file path' }).min(1, { error: 'expected a file path' }), {
        error: 'expected a list of file paths',
      })
      .optional()
      .meta({ description: 'Pipeline files whose vars, profiles and stages merge in (paths relative to this file).' }),
    vars: z.record(name, json, { error: 'expected a mapping of var name -> value' }).optional(),
    profiles: z
      .record(name, z.record(name, json, { error: 'expected a mapping of var name -> value' }), {
        error: 'expected a mapping of profile name -> var overrides',
      })
      .optional()
      .meta({ description: 'Overlays on vars, selected by vars.profile (e.g. `--set profile=quick`).' }),
    stages: z.record(name, stageSchema, { error: 'expected a mapping of stage id -> stage' }).optional(),
  })
  .meta({ title: 'sonicdiffusion pipeline file' });

export type PipelineFile = z.infer<typeof pipelineFileSchema>;
export type StageEntry = z.infer<typeof stageSchema>;

/** The JSON Schema text committed as schema/pipeline.schema.json. */
export function pipelineJsonSchemaText(): string {
  const schema = z.toJSONSchema(pipelineFileSchema) as Record<string, unknown>;
  // The loader drops top-level `x-…` keys before validation (they hold YAML anchors).
  schema.patternProperties = { '^x-': { description: 'Ignored; a place to define YAML anchors for `<<: *name` merges.' } };
  return `${JSON.stringify(schema, null, 2)}\n`;
}
