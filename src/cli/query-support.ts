// Shared plumbing of the query commands (runs, metrics, diff, query, artifacts, gc): argument parsing with
// usage errors (exit 2), user-facing errors without stack traces (exit 1), workspace opening, table output.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { openRunStore, type SqliteRunStore } from '../engine/store/run-store.js';
import { resolveWorkspaceDir } from '../engine/store/workspace.js';
import { StoreError } from '../engine/store/errors.js';
import { SchemaVersionError } from '../engine/store/migrations.js';
import { MetricsTableError } from '../engine/report/metrics-table.js';
import { isTableFormat, renderTable, TABLE_FORMATS, type TableFormat } from '../engine/report/render.js';
import type { Table } from '../engine/report/table.js';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

export const WORKSPACE_OPTION = { workspace: { type: 'string' } } as const satisfies Options;
export const OUTPUT_OPTIONS = {
  format: { type: 'string', short: 'f' },
  out: { type: 'string', short: 'o' },
} as const satisfies Options;
const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const satisfies Options;

export interface CommandSpec<O extends Options> {
  name: string;
  usage: string; // full usage text, printed by --help and after usage errors
  options: O;
  positionals?: { min: number; max: number };
}

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

/** Parses argv, handles --help and maps known errors to messages and exit codes. */
export async function runCommand<O extends Options>(
  spec: CommandSpec<O>,
  argv: string[],
  io: Io,
  body: (values: ReturnType<typeof parseArgs<{ options: O & typeof HELP_OPTION; allowPositionals: true; strict: true }>>['values'], positionals: string[]) => Promise<number> | number,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...spec.options, ...HELP_OPTION } as O & typeof HELP_OPTION,
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    io.stderr(`sonic ${spec.name}: ${(e as Error).message}\n\n${spec.usage}\n`);
    return 2;
  }
  if ((parsed.values as { help?: boolean }).help === true) {
    io.stdout(`${spec.usage}\n`);
    return 0;
  }
  const { min, max } = spec.positionals ?? { min: 0, max: 0 };
  if (parsed.positionals.length < min || parsed.positionals.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    io.stderr(
      `sonic ${spec.name}: expected ${expected} argument${max === 1 ? '' : 's'}, got ${parsed.positionals.length}` +
        `${parsed.positionals.length > 0 ? ` (${parsed.positionals.join(' ')})` : ''}\n\n${spec.usage}\n`,
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

export function openStoreForReading(workspaceFlag: string | undefined, io: Io): SqliteRunStore {
  return openRunStore(resolveWorkspaceDir(workspaceFlag, io.env, io.cwd), { readonly: true });
}

/** --format, else the --out file's extension (.md/.csv/.json), else the terminal table. */
export function chooseFormat(format: string | undefined, out: string | undefined): TableFormat {
  if (format !== undefined) {
    if (!isTableFormat(format)) {
      throw new UsageError(`--format must be one of ${TABLE_FORMATS.join(', ')} (got ${JSON.stringify(format)})`);
    }
    return format;
  }
  const ext = out === undefined ? '' : extname(out).slice(1).toLowerCase();
  if (ext === 'markdown') return 'md';
  return isTableFormat(ext) ? ext : 'table';
}

/** Writes the rendered table to --out (no color) or stdout (color only on a TTY without NO_COLOR). */
export function emitTable(table: Table, format: TableFormat, out: string | undefined, io: Io): void {
  if (out !== undefined) {
    const path = resolve(io.cwd, out);
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, renderTable(table, format));
    } catch (e) {
      throw new StoreError(`cannot write ${out}: ${(e as Error).message}`);
    }
    return;
  }
  const color = io.stdoutIsTTY && !io.env['NO_COLOR'];
  io.stdout(renderTable(table, format, { color }));
}

export function parsePositiveInt(flag: string, s: string): number {
  if (!/^\d+$/.test(s) || Number(s) <= 0) throw new UsageError(`${flag} expects a positive integer (got ${JSON.stringify(s)})`);
  return Number(s);
}

/** A run id: N, `latest`, or `latest~K` (K runs before the latest). */
export function parseRunRef(store: SqliteRunStore, s: string, flag = 'run'): number {
  if (/^\d+$/.test(s)) {
    const id = Number(s);
    if (store.run(id) === undefined) throw new StoreError(`no run with id ${id} (see \`sonic runs\`)`);
    return id;
  }
  const m = /^latest(?:~(\d+))?$/.exec(s);
  if (m === null) throw new UsageError(`${flag} must be a run id, latest or latest~N (got ${JSON.stringify(s)})`);
  const back = Number(m[1] ?? 0);
  const runs = store.runs(back + 1);
  if (runs.length <= back) throw new StoreError(`${s}: only ${runs.length} run(s) recorded`);
  return runs[back]!.id;
}

/** `--tag k=v` values -> record. */
export function parseTags(values: string[] | undefined): Record<string, string> | undefined {
  if (values === undefined || values.length === 0) return undefined;
  const tags: Record<string, string> = {};
  for (const kv of values) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new UsageError(`--tag expects KEY=VALUE (got ${JSON.stringify(kv)})`);
    tags[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return tags;
}

export function splitList(s: string | undefined): string[] {
  if (s === undefined) return [];
  return s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
}
