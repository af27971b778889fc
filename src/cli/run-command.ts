// How every command runs: parse argv against its declaration (src/cli/specs/), answer --help, check the
// positional count, then call the body; usage mistakes print the message and the usage (exit 2), store
// problems print the message (exit 1). Other errors go up to main.ts, which knows the remaining user errors.
import { parseArgs } from 'node:util';
import { closeNames } from '../engine/config/suggest.js';
import { StoreError } from '../engine/store/errors.js';
import { SchemaVersionError } from '../engine/store/migrations.js';
import { MetricsTableError } from '../engine/report/metrics-table.js';
import { UsageError } from './cli-error.js';
import { HELP_OPTION, type CommandSpec, type Options } from './specs/command-spec.js';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stdoutIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export const processIo: Io = {
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
  get stdoutIsTTY() {
    return process.stdout.isTTY === true;
  },
  env: process.env,
  get cwd() {
    return process.cwd();
  },
};

type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ options: O & typeof HELP_OPTION; allowPositionals: true; strict: true }>>;
/** The parsed option values of a command declared with options O. */
export type CommandValues<O extends Options> = Parsed<O>['values'];

/** parseArgs' message, with "did you mean" for a misspelt option. */
export function parseErrorMessage(err: unknown, options: Options): string {
  const e = err as Error & { code?: string };
  const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(e.message);
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
    const given = unknown[1]!;
    const names = Object.keys({ ...options, ...HELP_OPTION }).map((n) => `--${n}`);
    const close = closeNames(given.startsWith('--') ? given : `-${given}`, names);
    const hint = close.length === 0 ? '' : ` (did you mean ${close.map((c) => `"${c}"`).join(' or ')}?)`;
    return `unknown option ${given}${hint}`;
  }
  return e.message;
}

export async function runCommand<O extends Options>(
  spec: CommandSpec<O>,
  argv: string[],
  io: Io,
  body: (values: Parsed<O>['values'], positionals: string[]) => Promise<number> | number,
): Promise<number> {
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...spec.options, ...HELP_OPTION } as O & typeof HELP_OPTION,
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    io.stderr(`sonic ${spec.name}: ${parseErrorMessage(e, spec.options)}\n\n${spec.usage}\n`);
    return 2;
  }
  if ((parsed.values as { help?: boolean }).help === true) {
    io.stdout(`${spec.usage}\n`);
    return 0;
  }
  const { min, max } = spec.positionals;
  const got = parsed.positionals.length;
  if (got < min || got > max) {
    const expected = min === max ? `${min}` : max === Number.POSITIVE_INFINITY ? `at least ${min}` : `${min} to ${max}`;
    io.stderr(
      `sonic ${spec.name}: expected ${expected} argument${max === 1 ? '' : 's'}, got ${got}` +
        `${got > 0 ? ` (${parsed.positionals.join(' ')})` : ''}\n\n${spec.usage}\n`,
    );
    return 2;
  }
  try {
    return await body(parsed.values, parsed.positionals);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`sonic ${spec.name}: ${e.message}\n\n${spec.usage}\n`);
      return 2;
    }
    if (e instanceof StoreError || e instanceof SchemaVersionError || e instanceof MetricsTableError) {
      io.stderr(`sonic ${spec.name}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
