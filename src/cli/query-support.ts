// Shared plumbing of the query commands (runs, metrics, diff, query, artifacts, logs, gc): workspace opening,
// run references, table output.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { openRunStore, type SqliteRunStore } from '../engine/store/run-store.js';
import { resolveWorkspaceDir } from '../engine/store/workspace.js';
import { StoreError } from '../engine/store/errors.js';
import { isTableFormat, renderTable, TABLE_FORMATS, type TableFormat } from '../engine/report/render.js';
import type { Table } from '../engine/report/table.js';
import { UsageError } from './cli-error.js';
import type { Io } from './run-command.js';

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
