// The one way a `sonic` command is declared: its name, a one-line summary for the top-level help, the full
// usage text, its options (node:util parseArgs) and how many positional arguments it takes. Declarations
// live apart from the command bodies so that `sonic --help` and "did you mean" load none of the engine.
import type { ParseArgsConfig } from 'node:util';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandSpec<O extends Options = Options> {
  name: string;
  summary: string; // one line, shown by `sonic --help`
  usage: string; // full usage text, printed by --help and after usage errors
  options: O;
  positionals: { min: number; max: number };
}

export function defineCommand<const O extends Options>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

export const WORKSPACE_OPTION = { workspace: { type: 'string' } } as const satisfies Options;
export const OUTPUT_OPTIONS = {
  format: { type: 'string', short: 'f' },
  out: { type: 'string', short: 'o' },
} as const satisfies Options;
export const SET_OPTION = { set: { type: 'string', multiple: true } } as const satisfies Options;
export const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const satisfies Options;

/** Any number of positionals (targets). */
export const MANY = Number.POSITIVE_INFINITY;
